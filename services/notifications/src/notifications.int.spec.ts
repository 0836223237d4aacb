// The notifications service booted in-process against the real PostgreSQL and Kafka, a real SMTP
// server and a real webhook receiver: intake's facts go onto a topic of this test, recipients are
// registered over gRPC, and what arrives at the SMTP server and the receiver is what is checked.
// Invented people, invented addresses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyToDocuments, rowToEnvelope, eventColumns } from '@homeward/eventsourcing';
import { createKafkaBroker, toMessages, type Broker, type EventEnvelope, type Publisher } from '@homeward/messaging';
import { createTestDatabase, eventually, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import type { notifications } from '@homeward/contracts';
import { configFromEnv, type NotificationsConfig } from './config.js';
import { notificationDeliveries } from './notification-deliveries/notification-deliveries.projection.js';
import { startNotifications, type NotificationsService } from './service.js';
import { facts, newPersonId } from './testing/intake-events.js';
import { freePort, notificationsClient, type NotificationsTestClient } from './testing/notifications-client.js';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver.js';

const webhookSecret = 'int-test-webhook-secret';
const welfareCheckAfterMs = 3_000;
const metadata = (actor = 'caseworker-1') => ({ actor, correlationId: uniqueName('corr'), causationId: '', idempotencyKey: '', traceparent: '' });

describe('notifications service', () => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let broker: Broker;
  let publisher: Publisher;
  let service: NotificationsService;
  let client: NotificationsTestClient;
  let config: NotificationsConfig;
  let grpcUrl: string;
  const intakeTopic = uniqueName('test.notifications.intake');
  const consumerGroup = uniqueName('notifications-test');

  const start = async (overrides: Partial<NotificationsConfig> = {}) => {
    service = await startNotifications({ databaseUrl: database.url, grpcUrl, config: { ...config, ...overrides } });
  };
  const publish = (...events: EventEnvelope[]) => publisher.publish(intakeTopic, toMessages(events));

  const register = async (recipient: Omit<notifications.RegisterRecipientRequest, 'metadata' | 'recipientId'>) => {
    const result = await client.registerRecipient({ metadata: metadata(), recipientId: '', ...recipient });
    return result.id;
  };
  const emailRecipient = (address: string, follows: string[], consent = true) => register({ role: 'family', channel: 'email', address, consent, follows });
  const webhookRecipient = (path: string, follows: string[]) =>
    register({ role: 'partner-organisation', channel: 'webhook', address: receiver.url(path), consent: true, follows });

  const deliveriesOf = async (personId: string) => (await client.listDeliveries({ personId, limit: 100, cursor: '' })).items ?? [];
  const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.to.includes(address));
  const sql = <T>(text: string, parameters: unknown[] = []) => service.runtime.dataSource.query(text, parameters) as Promise<T[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver(webhookSecret);
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'notifications-int-test' });
    await broker.ensureTopics([intakeTopic]);
    publisher = await broker.publisher();
    grpcUrl = `127.0.0.1:${await freePort()}`;
    config = {
      ...configFromEnv({}),
      intakeTopic,
      consumerGroup,
      smtpUrl: smtp.url,
      fromAddress: 'Homeward <notify@homeward.test>',
      webhookSecret,
      welfareCheckAfterMs,
      welfareCheckPollMs: 200,
      deliveryPollMs: 100,
      sendTimeoutMs: 3_000,
      retry: { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5_000 },
    };
    await start();
    client = notificationsClient(grpcUrl);
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await publisher?.close();
    await broker?.disconnect();
    await receiver?.close();
    await smtp?.close();
    await database?.drop();
  }, 60_000);

  it('tells every consenting follower by email and by signed webhook, and nobody else', async () => {
    const person = newPersonId();
    const other = newPersonId();
    const sister = `sister.${person.slice(0, 8)}@example.org`;
    const silent = `silent.${person.slice(0, 8)}@example.org`;
    const stranger = `stranger.${person.slice(0, 8)}@example.org`;
    const sisterId = await emailRecipient(sister, [person]);
    const partnerId = await webhookRecipient(`/partner/${person}`, [person]);
    await emailRecipient(silent, [person], false);
    await emailRecipient(stranger, [other]);

    const deported = facts.deported(person);
    await publish(deported);

    await eventually(async () => deliveriesOf(person), (items) => items.length === 2 && items.every((item) => item.status === 'delivered'), {
      what: 'two deliveries',
      timeoutMs: 30_000,
    });
    const [mail] = mailsTo(sister);
    expect(mailsTo(sister)).toHaveLength(1);
    expect(mail!.from).toBe('notify@homeward.test');
    expect(mail!.raw).toContain(person);
    expect(mail!.raw).toContain('prisoner-deported');
    expect(mail!.subject).not.toContain('URGENT');
    expect(mailsTo(silent)).toHaveLength(0);
    expect(mailsTo(stranger)).toHaveLength(0);

    const calls = receiver.calls.filter((call) => call.path === `/partner/${person}`);
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

    const items = await deliveriesOf(person);
    expect(items.map((item) => [item.recipientId, item.channel, item.kind, item.urgent, item.attempts]).sort()).toEqual(
      [
        [sisterId, 'email', 'prisoner-deported', false, 1],
        [partnerId, 'webhook', 'prisoner-deported', false, 1],
      ].sort(),
    );
    expect(items.every((item) => item.deliveredAt && item.causeEventId === deported.eventId)).toBe(true);
    expect(JSON.stringify(items)).not.toContain('example.org');
    expect(JSON.stringify(items)).not.toContain('127.0.0.1');
    // The addresses are personal: ciphertext in the events, the outbox rows' events and the read model.
    const stored = await sql<{ text: string }>(
      `SELECT data::text AS text FROM events WHERE type = 'RecipientRegistered' UNION ALL SELECT doc::text FROM recipients`,
    );
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) {
      expect(row.text).not.toContain('example.org');
      expect(row.text).not.toContain('127.0.0.1');
      expect(row.text).toContain('enc:v1:');
    }

    // The same Kafka message again (a relay that republished), then a new fact for the same
    // person (same partition, so it is consumed after the repeat): only the new one is sent.
    await publish(deported, facts.released(person));
    await eventually(async () => mailsTo(sister).length, (n) => n === 2, { what: 'the second email', timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.calls.filter((call) => call.path === `/partner/${person}`).map((call) => call.body['kind'])).toEqual(['prisoner-deported', 'prisoner-released']);
    expect(mailsTo(sister).map((m) => /What: (\S+)/.exec(m.raw)?.[1])).toEqual(['prisoner-deported', 'prisoner-released']);
  }, 60_000);

  it('retries a failing webhook with exponential backoff until it is delivered, and gives up after the last attempt', async () => {
    const person = newPersonId();
    const flaky = `/flaky/${person}`;
    const broken = `/broken/${person}`;
    receiver.plan(flaky, [503, 500]);
    receiver.plan(broken, [500, 500, 500, 500]);
    await webhookRecipient(flaky, [person]);
    await webhookRecipient(broken, [person]);
    await publish(facts.rearrested(person));

    const settled = await eventually(
      async () => deliveriesOf(person),
      (items) => items.length === 2 && items.every((item) => item.status !== 'queued'),
      { what: 'both deliveries settled', timeoutMs: 30_000 },
    );
    const byPath = (path: string) => receiver.calls.filter((call) => call.path === path);
    expect(byPath(flaky).map((call) => call.status)).toEqual([503, 500, 200]);
    expect(byPath(broken).map((call) => call.status)).toEqual([500, 500, 500]);
    expect([...byPath(flaky), ...byPath(broken)].every((call) => call.signatureValid && call.body['urgent'] === true)).toBe(true);
    // Backoff: 300 ms after the first failure, 600 ms after the second.
    const [first, second, third] = byPath(flaky).map((call) => call.receivedAt);
    expect(second! - first!).toBeGreaterThanOrEqual(250);
    expect(third! - second!).toBeGreaterThanOrEqual(550);

    const flakyDelivery = settled.find((item) => item.status === 'delivered')!;
    const brokenDelivery = settled.find((item) => item.status === 'failed')!;
    expect(flakyDelivery).toMatchObject({ attempts: 3, lastErrorCode: 'webhook.http-500', kind: 'rearrest-reported', urgent: true });
    expect(brokenDelivery).toMatchObject({ attempts: 3, lastErrorCode: 'webhook.http-500' });
    expect(brokenDelivery.nextAttemptAt).toBeFalsy();

    const failures = await sql<{ data: { attempt: number; errorCode: string; nextAttemptAt?: string } }>(
      `SELECT data FROM events WHERE type = 'NotificationDeliveryFailed' AND data->>'notificationId' = $1 ORDER BY global_position`,
      [brokenDelivery.notificationId],
    );
    expect(failures.map((row) => [row.data.attempt, row.data.errorCode, row.data.nextAttemptAt !== undefined])).toEqual([
      [1, 'webhook.http-500', true],
      [2, 'webhook.http-500', true],
      [3, 'webhook.http-500', false],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(byPath(broken)).toHaveLength(3);
  }, 60_000);

  it('records an SMTP refusal by its reply code, never the address', async () => {
    const person = newPersonId();
    const gone = `gone.${person.slice(0, 8)}@example.org`;
    smtp.refuse(gone, 550);
    await emailRecipient(gone, [person]);
    await publish(facts.released(person));
    const [item] = await eventually(async () => deliveriesOf(person), (items) => items[0]?.status === 'failed', { what: 'a final failure', timeoutMs: 30_000 });
    expect(item).toMatchObject({ attempts: 3, lastErrorCode: 'smtp.550' });
    const stored = await sql<{ data: unknown }>(`SELECT data FROM events WHERE type = 'NotificationDeliveryFailed' AND data->>'notificationId' = $1`, [item!.notificationId]);
    expect(JSON.stringify(stored)).not.toContain('example.org');
  }, 60_000);

  it('raises an urgent notification when a welfare check becomes overdue', async () => {
    const person = newPersonId();
    const lawyer = `lawyer.${person.slice(0, 8)}@example.org`;
    await emailRecipient(lawyer, [person]);
    const lost = facts.contactLost(person);
    await publish(lost);

    const [check] = await eventually(
      async () => (await client.listWelfareChecks({ overdue: false, personId: person, limit: 10, cursor: '' })).items ?? [],
      (items) => items.length === 1,
      { what: 'a scheduled welfare check' },
    );
    expect(check).toMatchObject({ personId: person, causeEventId: lost.eventId, causeKind: 'contact-lost', status: 'scheduled' });
    expect(Date.parse(check!.dueAt) - Date.parse(lost.occurredAt)).toBe(welfareCheckAfterMs);

    const overdueMail = await eventually(
      async () => mailsTo(lawyer).find((mail) => mail.raw.includes('welfare-check-overdue')),
      (mail) => mail !== undefined,
      { what: 'the overdue email', timeoutMs: 20_000 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(check!.dueAt));
    expect(overdueMail!.subject).toContain('URGENT');
    expect(mailsTo(lawyer).filter((mail) => mail.raw.includes('contact-lost'))).toHaveLength(1);

    const overdue = (await client.listWelfareChecks({ overdue: true, personId: '', limit: 200, cursor: '' })).items ?? [];
    expect(overdue.find((item) => item.checkId === check!.checkId)).toMatchObject({ status: 'overdue', overdueAt: expect.any(String) });
    // The mail is out before its delivery is recorded (the send happens inside the claim).
    const items = await eventually(() => deliveriesOf(person), (found) => found.every((item) => item.status === 'delivered'), { what: 'both deliveries recorded' });
    expect(items.map((item) => [item.kind, item.urgent, item.status]).sort()).toEqual([
      ['contact-lost', true, 'delivered'],
      ['welfare-check-overdue', true, 'delivered'],
    ]);
  }, 60_000);

  it('clears a welfare check when contact is re-established in time: it never becomes overdue', async () => {
    const person = newPersonId();
    const brother = `brother.${person.slice(0, 8)}@example.org`;
    await emailRecipient(brother, [person]);
    await publish(facts.returnAttempted(person));
    await eventually(async () => (await client.listWelfareChecks({ overdue: false, personId: person, limit: 10, cursor: '' })).items ?? [], (items) => items.length === 1, {
      what: 'a scheduled welfare check',
    });
    const contact = facts.contactReestablished(person);
    await publish(contact);

    await new Promise((resolve) => setTimeout(resolve, welfareCheckAfterMs + 1_500));
    const [check] = (await client.listWelfareChecks({ overdue: false, personId: person, limit: 10, cursor: '' })).items ?? [];
    expect(check).toMatchObject({ status: 'cleared', clearedAt: expect.any(String) });
    expect(check!.overdueAt).toBeFalsy();
    const overdue = (await client.listWelfareChecks({ overdue: true, personId: person, limit: 10, cursor: '' })).items ?? [];
    expect(overdue).toHaveLength(0);
    expect(mailsTo(brother).map((mail) => /What: (\S+)/.exec(mail.raw)?.[1]).sort()).toEqual(['contact-reestablished', 'return-attempted']);
  }, 60_000);

  it('stops sending, even what is already queued, once consent is withdrawn; follows the people a recipient changes to', async () => {
    const person = newPersonId();
    const before = newPersonId();
    const after = newPersonId();
    const path = `/withdrawn/${person}`;
    const withdrawing = await webhookRecipient(path, [person]);
    const moving = await emailRecipient(`moving.${person.slice(0, 8)}@example.org`, [before]);

    // Queued while nothing is sent, so that the withdrawal comes between queueing and sending.
    await service.stop();
    await start({ sideEffects: false });
    await publish(facts.deported(person));
    await eventually(async () => deliveriesOf(person), (items) => items.length === 1, { what: 'a queued notification' });
    await client.withdrawConsent({ metadata: metadata('recipient-portal'), recipientId: withdrawing });
    await client.changeFollows({ metadata: metadata(), recipientId: moving, follows: [after] });
    await service.stop();
    await start();

    const [item] = await eventually(async () => deliveriesOf(person), (items) => items[0]?.status === 'failed', { what: 'the queued notification abandoned' });
    expect(item).toMatchObject({ attempts: 1, lastErrorCode: 'recipient.no-consent' });
    await publish(facts.released(person), facts.released(before), facts.released(after));
    await eventually(async () => deliveriesOf(after), (items) => items[0]?.status === 'delivered', { what: 'the newly followed person' });
    expect(await deliveriesOf(person)).toHaveLength(1);
    expect(await deliveriesOf(before)).toHaveLength(0);
    expect(receiver.calls.filter((call) => call.path === path)).toHaveLength(0);
  }, 60_000);

  it('sends nothing twice across restarts, sends nothing while side effects are off, and keeps timers across a restart', async () => {
    const people = Array.from({ length: 12 }, newPersonId);
    const caseworker = `caseworker.${people[0]!.slice(0, 8)}@example.org`;
    await register({ role: 'caseworker', channel: 'email', address: caseworker, consent: true, follows: people });
    smtp.slow(caseworker, 300);
    const firstWave = people.map((person) => facts.deported(person));
    await publish(...firstWave);
    await eventually(async () => mailsTo(caseworker).length, (n) => n >= 2, { what: 'a few emails before the restart', timeoutMs: 30_000 });
    await service.stop(); // mid-way: the sends in flight finish and are recorded, the rest waits
    const sentBeforeStop = mailsTo(caseworker).length;
    expect(sentBeforeStop).toBeLessThan(12);

    // A relay republishes the whole wave while the service is down; a contact is lost.
    const lost = facts.contactLost(people[0]!);
    await publish(...firstWave, lost);

    // Back without side effects: the facts are consumed and queued, nothing is sent, no timer fires.
    await start({ sideEffects: false });
    const sentBefore = mailsTo(caseworker).length;
    await eventually(
      async () => (await sql<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE person_id = ANY($1)`, [people]))[0]!.n,
      (n) => Number(n) === 13,
      { what: 'every notification queued', timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, welfareCheckAfterMs + 1_000));
    expect(mailsTo(caseworker)).toHaveLength(sentBefore);
    const [timer] = await sql<{ status: string; due_at: Date }>(`SELECT status, due_at FROM welfare_check_timers WHERE person_id = $1`, [people[0]]);
    expect(timer!.status).toBe('pending');
    expect(timer!.due_at.getTime()).toBeLessThan(Date.now());

    // A rebuild of the deliveries read model from the events sends nothing either.
    const before = await sql<{ id: string; doc: unknown }>(`SELECT id, doc FROM notification_deliveries ORDER BY id`);
    const rows = await sql<Parameters<typeof rowToEnvelope>[0]>(`SELECT ${eventColumns} FROM events ORDER BY global_position`);
    await service.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`DELETE FROM notification_deliveries`);
      await applyToDocuments(tx, notificationDeliveries, rows.map(rowToEnvelope));
    });
    expect(await sql(`SELECT id, doc FROM notification_deliveries ORDER BY id`)).toEqual(before);
    await service.stop();

    // Back with side effects: everything left is sent, once; the overdue timer fires after the restart.
    await start();
    const urgent = await eventually(
      async () => mailsTo(caseworker),
      (mails) => mails.length === 14,
      { what: '12 deportations, the lost contact and its overdue check, each once', timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ids = mailsTo(caseworker).map((mail) => mail.notificationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(14);
    expect(urgent.filter((mail) => mail.raw.includes('welfare-check-overdue'))).toHaveLength(1);
    const [counts] = await sql<{ delivered: string; events: string }>(
      `SELECT (SELECT count(*) FROM deliveries WHERE person_id = ANY($1) AND status = 'delivered') AS delivered,
              (SELECT count(*) FROM events WHERE type = 'NotificationDelivered' AND metadata->>'subject' = ANY($1)) AS events`,
      [people],
    );
    expect(counts).toEqual({ delivered: '14', events: '14' });
    process.stdout.write(`notifications restart: ${sentBeforeStop} of 12 sent before the stop, 0 while side effects were off, ${ids.length} distinct emails in all\n`);
  }, 120_000);
});
