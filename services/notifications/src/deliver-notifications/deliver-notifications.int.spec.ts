// Notifications delivered, in the service against the real PostgreSQL and Kafka, a real SMTP server
// and a real webhook receiver: to every consenting follower by email and by signed webhook, retried
// with backoff, and a refusal recorded by its code, never the address. Invented people and addresses.
import { describe, expect, it } from '@jest/globals';
import { eventually, harnessPerSpec } from '@homeward/testing';
import { facts, newPersonId } from '../testing/intake-events.js';
import { startNotificationsHarness } from '../testing/notifications-harness.js';

describe('delivering notifications', () => {
  const h = harnessPerSpec(
    () => startNotificationsHarness(),
    (harness) => harness.close(),
  );

  it('tells every consenting follower by email and by signed webhook, and nobody else', async () => {
    const person = newPersonId();
    const other = newPersonId();
    const sister = `sister.${person.slice(0, 8)}@example.org`;
    const silent = `silent.${person.slice(0, 8)}@example.org`;
    const stranger = `stranger.${person.slice(0, 8)}@example.org`;
    const sisterId = await h.emailRecipient(sister, [person]);
    const partnerId = await h.webhookRecipient(`/partner/${person}`, [person]);
    await h.emailRecipient(silent, [person], false);
    await h.emailRecipient(stranger, [other]);

    const deported = facts.deported(person);
    await h.publish(deported);

    await eventually(
      async () => h.deliveriesOf(person),
      (items) => items.length === 2 && items.every((item) => item.status === 'delivered'),
      {
        what: 'two deliveries',
        timeoutMs: 30_000,
      },
    );
    const [mail] = h.mailsTo(sister);
    expect(h.mailsTo(sister)).toHaveLength(1);
    expect(mail!.from).toBe('notify@homeward.test');
    expect(mail!.raw).toContain(person);
    expect(mail!.raw).toContain('prisoner-deported');
    expect(mail!.subject).not.toContain('URGENT');
    expect(h.mailsTo(silent)).toHaveLength(0);
    expect(h.mailsTo(stranger)).toHaveLength(0);

    const calls = h.receiver.calls.filter((call) => call.path === `/partner/${person}`);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signatureValid).toBe(true);
    expect(Math.abs(Number(calls[0]!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(calls[0]!.body).toEqual({
      notificationId: calls[0]!.notificationId,
      personId: person,
      kind: 'prisoner-deported',
      urgent: false,
      occurredAt: deported.occurredAt,
      causeEventId: deported.eventId,
    });

    const items = await h.deliveriesOf(person);
    expect(items.map((item) => [item.recipientId, item.channel, item.kind, item.urgent, item.attempts]).sort()).toEqual(
      [
        [sisterId, 'email', 'prisoner-deported', false, 1],
        [partnerId, 'webhook', 'prisoner-deported', false, 1],
      ].sort(),
    );
    expect(items.every((item) => item.deliveredAt && item.causeEventId === deported.eventId)).toBe(true);
    expect(JSON.stringify(items)).not.toContain('example.org');
    expect(JSON.stringify(items)).not.toContain('127.0.0.1');
    // The addresses are personal: ciphertext bound to the recipient and the field, sealed by the
    // store, in the events, the outbox rows' events and the read model.
    const stored = await h.sql<{ text: string }>(
      `SELECT data::text AS text FROM events WHERE type = 'RecipientRegistered' UNION ALL SELECT doc::text FROM recipients`,
    );
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) {
      expect(row.text).not.toContain('example.org');
      expect(row.text).not.toContain('127.0.0.1');
      expect(row.text).toContain('enc:v2:');
    }

    // The same Kafka message again (a relay that republished), then a new fact for the same
    // person (same partition, so it is consumed after the repeat): only the new one is sent.
    await h.publish(deported, facts.released(person));
    await eventually(
      async () => h.mailsTo(sister).length,
      (n) => n === 2,
      { what: 'the second email', timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.receiver.calls.filter((call) => call.path === `/partner/${person}`).map((call) => call.body['kind'])).toEqual([
      'prisoner-deported',
      'prisoner-released',
    ]);
    expect(h.mailsTo(sister).map((m) => /What: (\S+)/.exec(m.raw)?.[1])).toEqual(['prisoner-deported', 'prisoner-released']);
  }, 60_000);

  it('retries a failing webhook with exponential backoff until it is delivered, and gives up after the last attempt', async () => {
    const person = newPersonId();
    const flaky = `/flaky/${person}`;
    const broken = `/broken/${person}`;
    h.receiver.plan(flaky, [503, 500]);
    h.receiver.plan(broken, [500, 500, 500, 500]);
    await h.webhookRecipient(flaky, [person]);
    await h.webhookRecipient(broken, [person]);
    await h.publish(facts.rearrested(person));

    const settled = await eventually(
      async () => h.deliveriesOf(person),
      (items) => items.length === 2 && items.every((item) => item.status !== 'queued'),
      { what: 'both deliveries settled', timeoutMs: 30_000 },
    );
    const byPath = (path: string) => h.receiver.calls.filter((call) => call.path === path);
    expect(byPath(flaky).map((call) => call.status)).toEqual([503, 500, 200]);
    expect(byPath(broken).map((call) => call.status)).toEqual([500, 500, 500]);
    expect([...byPath(flaky), ...byPath(broken)].every((call) => call.signatureValid && call.body['urgent'] === true)).toBe(true);
    // Backoff: 300 ms after the first failure, 600 ms after the second.
    const [first, second, third] = byPath(flaky).map((call) => call.receivedAt);
    expect(second! - first!).toBeGreaterThanOrEqual(250);
    expect(third! - second!).toBeGreaterThanOrEqual(550);

    const flakyDelivery = settled.find((item) => item.status === 'delivered')!;
    const brokenDelivery = settled.find((item) => item.status === 'failed')!;
    expect(flakyDelivery).toMatchObject({ attempts: 3, lastErrorCode: 'webhook.http-5xx', kind: 'rearrest-reported', urgent: true });
    expect(brokenDelivery).toMatchObject({ attempts: 3, lastErrorCode: 'webhook.http-5xx' });
    expect(brokenDelivery.nextAttemptAt).toBeFalsy();

    const failures = await h.sql<{ data: { attempt: number; errorCode: string; nextAttemptAt?: string } }>(
      `SELECT data FROM events WHERE type = 'NotificationDeliveryFailed' AND data->>'notificationId' = $1 ORDER BY global_position`,
      [brokenDelivery.notificationId],
    );
    expect(failures.map((row) => [row.data.attempt, row.data.errorCode, row.data.nextAttemptAt !== undefined])).toEqual([
      [1, 'webhook.http-5xx', true],
      [2, 'webhook.http-5xx', true],
      [3, 'webhook.http-5xx', false],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(byPath(broken)).toHaveLength(3);
  }, 60_000);

  it('records an SMTP refusal by its reply code, never the address', async () => {
    const person = newPersonId();
    const gone = `gone.${person.slice(0, 8)}@example.org`;
    h.smtp.refuse(gone, 550);
    await h.emailRecipient(gone, [person]);
    await h.publish(facts.released(person));
    const [item] = await eventually(
      async () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'failed',
      { what: 'a final failure', timeoutMs: 30_000 },
    );
    expect(item).toMatchObject({ attempts: 3, lastErrorCode: 'smtp.550' });
    const stored = await h.sql<{ data: unknown }>(
      `SELECT data FROM events WHERE type = 'NotificationDeliveryFailed' AND data->>'notificationId' = $1`,
      [item!.notificationId],
    );
    expect(JSON.stringify(stored)).not.toContain('example.org');
  }, 60_000);
});
