// Intake's PersonForgotten as notifications honours it, against the real PostgreSQL and Kafka:
// within seconds the person's open welfare check and its timer are cancelled (never overdue,
// never escalated), what was queued about them is never sent, nobody follows them, no fingerprint
// of a request naming them is kept; what intake says of them later is passed over, neither queued
// nor dead-lettered; a rebuild brings none of it back. Invented people and addresses.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '@homeward/eventsourcing';
import { rebuildInlineProjection } from '@homeward/operations';
import { masterKeysFromEnv, PersonKeys } from '@homeward/personal-data';
import { notificationsUpcasters } from '@homeward/notifications-domain';
import { eventually, uniqueName } from '@homeward/testing';
import { notificationDeliveries } from '../notification-deliveries/notification-deliveries.projection.js';
import { queueNotifications } from '../queue-notifications/queue-notifications.js';
import { recipients } from '../recipients/recipients.projection.js';
import { facts, intakeEvent, newPersonId } from '../testing/intake-events.js';
import { metadata, refusal, startNotificationsHarness, type NotificationsHarness } from '../testing/notifications-harness.js';
import { welfareChecks } from '../welfare-checks/welfare-checks.projection.js';

const welfareCheckAfterMs = 2_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a person forgotten by intake', () => {
  let h: NotificationsHarness;
  const person = newPersonId();
  const other = newPersonId();
  const onDuty = randomUUID();
  const onDutyAddress = `on-duty.${onDuty.slice(0, 8)}@example.org`;
  const sister = `sister.${person.slice(0, 8)}@example.org`;
  const lawyer = `lawyer.${person.slice(0, 8)}@example.org`;
  const sisterKey = uniqueName('register-sister');
  let sisterId: string;
  let lawyerId: string;
  const forgotten = intakeEvent('PersonForgotten', { personId: person, forgottenAt: new Date().toISOString() });

  const countOf = async (sql: string, parameters: unknown[]) => (await h.sql<{ n: number }>(sql, parameters))[0]!.n;

  beforeAll(async () => {
    // Queued, not sent: the erasure comes between queueing and sending, and before the check is due.
    h = await startNotificationsHarness({ sideEffects: false, welfareCheckAfterMs, escalationRecipients: [onDuty] });
    await h.register({ recipientId: onDuty, role: 'caseworker', channel: 'email', address: onDutyAddress, consent: true, follows: [] });
    sisterId = (
      await h.client.registerRecipient({
        metadata: { ...metadata(), idempotencyKey: sisterKey },
        recipientId: '',
        role: 'family',
        channel: 'email',
        address: sister,
        consent: true,
        follows: [person, other],
      })
    ).id;
    lawyerId = await h.emailRecipient(lawyer, [person]);
    await h.publish(facts.contactLost(person));
    await eventually(
      () => h.deliveriesOf(person),
      (items) => items.length === 2,
      { what: 'two queued notifications' },
    );
    await eventually(
      () => h.welfareChecksOf(person),
      (items) => items[0]?.status === 'scheduled',
      { what: 'the scheduled check' },
    );

    await h.publish(forgotten);
    await eventually(
      () => h.welfareChecksOf(person),
      (items) => items[0]?.status === 'cancelled',
      { what: 'the check cancelled', timeoutMs: 10_000 },
    );
  }, 60_000);

  afterAll(() => h?.close(), 60_000);

  it('then the open welfare check and its timer are cancelled, caused by the PersonForgotten', async () => {
    const [check] = await h.welfareChecksOf(person);
    expect(check).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expect(check!.escalation).toBeUndefined();
    const timers = await h.sql<{ status: string }>(`SELECT status FROM welfare_check_timers WHERE person_id = $1`, [person]);
    expect(timers.map((timer) => timer.status)).toEqual(['cancelled']);
    const [event] = await h.sql<{ data: Record<string, unknown> }>(
      `SELECT data FROM events WHERE type = 'WelfareCheckCancelled' AND data->>'personId' = $1`,
      [person],
    );
    expect(event!.data).toMatchObject({ checkId: check!.checkId, causeEventId: forgotten.eventId, reason: 'person-forgotten' });
  });

  it('then nothing queued about them is left to send; the counts by kind and status stay, ids only', async () => {
    expect(await countOf(`SELECT count(*)::int AS n FROM deliveries WHERE person_id = $1 AND status = 'pending'`, [person])).toBe(0);
    const items = await h.deliveriesOf(person);
    expect(items.map((item) => [item.kind, item.status]).sort()).toEqual([
      ['contact-lost', 'cancelled'],
      ['contact-lost', 'cancelled'],
    ]);
    const reasons = await h.sql<{ reason: string }>(
      `SELECT data->>'reason' AS reason FROM events WHERE type = 'NotificationCancelled' AND metadata->>'subject' = $1`,
      [person],
    );
    expect(reasons.map((row) => row.reason)).toEqual(['person-forgotten', 'person-forgotten']);
  });

  it('then nobody follows them any more, and no fingerprint of a request that named them is kept', async () => {
    const follows = await h.sql<{ id: string; follows: string[] }>(
      `SELECT id, doc->'follows' AS follows FROM recipients WHERE id = ANY($1) ORDER BY id`,
      [[sisterId, lawyerId]],
    );
    expect(Object.fromEntries(follows.map((row) => [row.id, row.follows]))).toEqual({ [sisterId]: [other], [lawyerId]: [] });
    expect(await countOf(`SELECT count(*)::int AS n FROM recipients WHERE doc->'follows' @> $1::jsonb`, [JSON.stringify([person])])).toBe(
      0,
    );
    const [fingerprint] = await h.sql<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE key = $1`, [sisterKey]);
    expect(fingerprint!.request_hash).toBe('forgotten');
    const [key] = await h.sql<{ destroyed_at: Date | null }>(`SELECT destroyed_at FROM person_keys WHERE person_id = $1`, [person]);
    expect(key!.destroyed_at).not.toBeNull();
  });

  it('then nobody can follow them again', async () => {
    const refused = [status.FAILED_PRECONDITION, 'recipient.follows-forgotten'];
    expect(await refusal(h.client.changeFollows({ metadata: metadata(), recipientId: sisterId, follows: [other, person] }))).toEqual(
      refused,
    );
    expect(await refusal(h.emailRecipient(`cousin.${person.slice(0, 8)}@example.org`, [person]))).toEqual(refused);
    // Someone else is still followed as before.
    expect(await h.client.changeFollows({ metadata: metadata(), recipientId: lawyerId, follows: [newPersonId()] })).toMatchObject({
      eventIds: [expect.any(String)],
    });
  });

  it('then what intake says of them later is passed over: nothing queued, no check, nothing dead-lettered', async () => {
    const later = [facts.contactLost(person), facts.returnAttempted(person), facts.rearrested(person), forgotten];
    await h.publish(...later, facts.released(other));
    await eventually(
      () => h.deliveriesOf(other),
      (items) => items.length === 1,
      { what: 'the other person told of' },
    );
    await eventually(
      () =>
        countOf(`SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [later.slice(0, 3).map((event) => event.eventId)]),
      (n) => n === 3,
      { what: 'the later facts consumed' },
    );
    expect(await h.deliveriesOf(person)).toHaveLength(2);
    expect(await h.welfareChecksOf(person)).toHaveLength(1);
    expect(await countOf(`SELECT count(*)::int AS n FROM dead_letters`, [])).toBe(0);
    expect(
      await countOf(`SELECT count(*)::int AS n FROM events WHERE type = 'WelfareCheckCancelled' AND data->>'personId' = $1`, [person]),
    ).toBe(1);
  });

  it('then queueing about them, whoever asks (a timer, an escalation), queues nothing', async () => {
    const { dataSource, store } = h.service.runtime;
    const queueing = { store: store as EventStore, keys: new PersonKeys(masterKeysFromEnv()) };
    const cause = {
      personId: person,
      causeEventId: randomUUID(),
      kind: 'welfare-check-overdue' as const,
      urgent: true,
      occurredAt: new Date().toISOString(),
    };
    const context = { actor: 'test', correlationId: cause.causeEventId, causationId: cause.causeEventId, occurredAt: cause.occurredAt };
    const queued = await dataSource.transaction((tx) =>
      queueNotifications(tx, queueing, cause, [{ recipientId: lawyerId, channel: 'email', consent: true }], context),
    );
    expect(queued).toEqual([]);
    expect(await countOf(`SELECT count(*)::int AS n FROM deliveries WHERE cause_event_id = $1`, [cause.causeEventId])).toBe(0);
  });

  it('then, with side effects on and past the due time, nobody is told or escalated to about them', async () => {
    await h.restart({ sideEffects: true });
    await eventually(
      () => h.deliveriesOf(other),
      (items) => items[0]?.status === 'delivered',
      { what: 'the other person delivered', timeoutMs: 20_000 },
    );
    await pause(welfareCheckAfterMs + 1_000);
    expect(h.mailsTo(sister).filter((mail) => mail.raw.includes(person))).toHaveLength(0);
    expect(h.mailsTo(lawyer)).toHaveLength(0);
    expect(h.mailsTo(onDutyAddress)).toHaveLength(0);
    expect(
      await countOf(
        `SELECT count(*)::int AS n FROM events WHERE type IN ('WelfareCheckOverdue', 'WelfareCheckEscalated') AND data->>'personId' = $1`,
        [person],
      ),
    ).toBe(0);
    expect((await h.welfareChecksOf(person))[0]).toMatchObject({ status: 'cancelled' });
  }, 30_000);

  it('then rebuilding the read models from the events brings nothing back', async () => {
    const snapshot = async () => ({
      recipients: await h.sql(`SELECT id, doc FROM recipients ORDER BY id`),
      deliveries: await h.sql(`SELECT id, doc FROM notification_deliveries ORDER BY id`),
      checks: await h.sql(`SELECT id, doc FROM welfare_checks ORDER BY id`),
    });
    const before = await snapshot();
    for (const projection of [recipients, notificationDeliveries, welfareChecks]) {
      await rebuildInlineProjection({ dataSource: h.service.runtime.dataSource, projection, upcasters: notificationsUpcasters });
    }
    expect(await snapshot()).toEqual(before);
    expect(await countOf(`SELECT count(*)::int AS n FROM recipients WHERE doc->'follows' @> $1::jsonb`, [JSON.stringify([person])])).toBe(
      0,
    );
  });
});
