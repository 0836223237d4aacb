// The notifications service across restarts, against the real PostgreSQL and Kafka and a real SMTP
// server: nothing sent twice, nothing sent while side effects are off, timers kept, and a rebuild of
// the deliveries read model sends nothing. Invented people and addresses.
import { describe, expect, it } from '@jest/globals';
import { applyToDocuments, eventColumns, rowToEnvelope } from '@homeward/eventsourcing';
import { eventually, harnessPerSpec } from '@homeward/testing';
import { notificationDeliveries } from './notification-deliveries/notification-deliveries.projection.js';
import { facts, newPersonId } from './testing/intake-events.js';
import { startNotificationsHarness } from './testing/notifications-harness.js';

const welfareCheckAfterMs = 3_000;

describe('notifications across restarts', () => {
  const h = harnessPerSpec(
    () => startNotificationsHarness({ welfareCheckAfterMs }),
    (harness) => harness.close(),
  );

  it('sends nothing twice across restarts, sends nothing while side effects are off, and keeps timers across a restart', async () => {
    const people = Array.from({ length: 12 }, newPersonId);
    const caseworker = `caseworker.${people[0]!.slice(0, 8)}@example.org`;
    await h.register({ role: 'caseworker', channel: 'email', address: caseworker, consent: true, follows: people });
    h.smtp.slow(caseworker, 300);
    const firstWave = people.map((person) => facts.deported(person));
    await h.publish(...firstWave);
    await eventually(
      async () => h.mailsTo(caseworker).length,
      (n) => n >= 2,
      { what: 'a few emails before the restart', timeoutMs: 30_000 },
    );
    await h.service.stop(); // mid-way: the sends in flight finish and are recorded, the rest waits
    const sentBeforeStop = h.mailsTo(caseworker).length;
    expect(sentBeforeStop).toBeLessThan(12);

    // A relay republishes the whole wave while the service is down; a contact is lost.
    const lost = facts.contactLost(people[0]!);
    await h.publish(...firstWave, lost);

    // Back without side effects: the facts are consumed and queued, nothing is sent, no timer fires.
    await h.restart({ sideEffects: false });
    const sentBefore = h.mailsTo(caseworker).length;
    await eventually(
      async () => (await h.sql<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE person_id = ANY($1)`, [people]))[0]!.n,
      (n) => Number(n) === 13,
      { what: 'every notification queued', timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, welfareCheckAfterMs + 1_000));
    expect(h.mailsTo(caseworker)).toHaveLength(sentBefore);
    const [timer] = await h.sql<{ status: string; due_at: Date }>(`SELECT status, due_at FROM welfare_check_timers WHERE person_id = $1`, [
      people[0],
    ]);
    expect(timer!.status).toBe('pending');
    expect(timer!.due_at.getTime()).toBeLessThan(Date.now());

    // A rebuild of the deliveries read model from the events sends nothing either.
    const before = await h.sql<{ id: string; doc: unknown }>(`SELECT id, doc FROM notification_deliveries ORDER BY id`);
    const rows = await h.sql<Parameters<typeof rowToEnvelope>[0]>(`SELECT ${eventColumns} FROM events ORDER BY global_position`);
    await h.service.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`DELETE FROM notification_deliveries`);
      await applyToDocuments(tx, notificationDeliveries, rows.map(rowToEnvelope));
    });
    expect(await h.sql(`SELECT id, doc FROM notification_deliveries ORDER BY id`)).toEqual(before);
    await h.service.stop();

    // Back with side effects: everything left is sent, once; the overdue timer fires after the restart.
    await h.restart();
    const urgent = await eventually(
      async () => h.mailsTo(caseworker),
      (mails) => mails.length === 14,
      { what: '12 deportations, the lost contact and its overdue check, each once', timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ids = h.mailsTo(caseworker).map((mail) => mail.notificationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(14);
    expect(urgent.filter((mail) => mail.raw.includes('welfare-check-overdue'))).toHaveLength(1);
    const [counts] = await h.sql<{ delivered: string; events: string }>(
      `SELECT (SELECT count(*) FROM deliveries WHERE person_id = ANY($1) AND status = 'delivered') AS delivered,
              (SELECT count(*) FROM events WHERE type = 'NotificationDelivered' AND metadata->>'subject' = ANY($1)) AS events`,
      [people],
    );
    expect(counts).toEqual({ delivered: '14', events: '14' });
    process.stdout.write(
      `notifications restart: ${sentBeforeStop} of 12 sent before the stop, 0 while side effects were off, ` +
        `${ids.length} distinct emails in all\n`,
    );
  }, 120_000);
});
