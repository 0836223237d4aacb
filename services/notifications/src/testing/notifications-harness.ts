// The notifications service booted in-process for integration tests, against the real PostgreSQL
// and Kafka, a real SMTP server and a real webhook receiver, with the helpers every such test
// uses: intake's facts go onto a topic of the test, recipients are registered over gRPC, and what
// arrives at the SMTP server and the receiver is what is checked. Invented people and addresses.
import { randomUUID } from 'node:crypto';
import { createKafkaBroker, toMessages, type Broker, type EventEnvelope, type Publisher } from '@homeward/messaging';
import { createTestDatabase, eventually, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import type { notifications } from '@homeward/contracts';
import { configFromEnv, type NotificationsConfig } from '../config.js';
import type { Resolve } from '../deliver-notifications/webhook-sender.js';
import { startNotifications, type NotificationsService } from '../service.js';
import { freePort, notificationsClient, type NotificationsTestClient } from './notifications-client.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export const metadata = (actor = 'caseworker-1') => ({
  actor,
  correlationId: uniqueName('corr'),
  causationId: '',
  idempotencyKey: '',
  traceparent: '',
});

/** A refused call as [gRPC status, Homeward error code]; 'no refusal' when it succeeded. */
export const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no refusal',
    (error: { code: number; metadata: { get(key: string): unknown[] } }) => [error.code, error.metadata.get('homeward-error-code')[0]],
  );

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a notification email is about (its `What:` line). */
export const kindOf = (mail: { raw: string }) => /What: (\S+)/.exec(mail.raw)?.[1];

type Recipient = Omit<notifications.RegisterRecipientRequest, 'metadata' | 'recipientId'> & { recipientId?: string };

export interface NotificationsHarness {
  database: TestDatabase;
  smtp: SmtpSink;
  receiver: WebhookReceiver;
  client: NotificationsTestClient;
  config: NotificationsConfig;
  /** The service running now: replaced by `start`. */
  service: NotificationsService;
  /** Stops the running service and starts it again with these settings over the harness's. */
  restart(overrides?: Partial<NotificationsConfig>): Promise<void>;
  publish(...events: EventEnvelope[]): Promise<void>;
  register(recipient: Recipient): Promise<string>;
  emailRecipient(address: string, follows: string[], consent?: boolean): Promise<string>;
  webhookRecipient(path: string, follows: string[]): Promise<string>;
  deliveriesOf(personId: string): Promise<notifications.Delivery[]>;
  welfareChecksOf(personId: string, overdue?: boolean): Promise<notifications.WelfareCheck[]>;
  /** The person's welfare checks once there are `count` of them. */
  scheduledCheck(personId: string, count?: number): Promise<notifications.WelfareCheck[]>;
  /** The stored events of one type about one welfare check, in order. */
  checkEvents(type: string, checkId: string): Promise<Array<{ event_id: string; data: Record<string, unknown> }>>;
  mailsTo(address: string): SmtpSink['messages'];
  sql<T>(text: string, parameters?: unknown[]): Promise<T[]>;
  /** Every row of every table of the service's database as text: what someone holding the database reads. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

/**
 * `settings` go over the test defaults (fast timers, three attempts 300 ms apart). `resolve`: the
 * webhook sender's resolver (default: the system's, which the receiver's 127.0.0.1 never asks).
 */
export async function startNotificationsHarness(
  settings: Partial<NotificationsConfig> = {},
  resolve?: Resolve,
): Promise<NotificationsHarness> {
  const database = await createTestDatabase();
  const smtp = await startSmtpSink();
  const receiver = await startWebhookReceiver();
  const intakeTopic = uniqueName('test.notifications.intake');
  const broker: Broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'notifications-int-test' });
  await broker.ensureTopics([intakeTopic]);
  const publisher: Publisher = await broker.publisher();
  const grpcUrl = `127.0.0.1:${await freePort()}`;
  const config: NotificationsConfig = {
    ...configFromEnv({}),
    intakeTopic,
    consumerGroup: uniqueName('notifications-test'),
    smtpUrl: smtp.url,
    fromAddress: 'Homeward <notify@homeward.test>',
    // The receiver runs on this machine: the development allowance, over https with its certificate.
    allowLoopbackWebhooks: true,
    welfareCheckAfterMs: 3_000,
    welfareCheckPollMs: 200,
    deliveryPollMs: 100,
    sendTimeoutMs: 3_000,
    retry: { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5_000 },
    ...settings,
  };
  const boot = (overrides: Partial<NotificationsConfig> = {}) =>
    startNotifications({
      databaseUrl: database.url,
      grpcUrl,
      config: { ...config, ...overrides },
      webhook: { ca: receiver.certificate, ...(resolve ? { resolve } : {}) },
    });
  const client = notificationsClient(grpcUrl);
  const harness: NotificationsHarness = {
    database,
    smtp,
    receiver,
    client,
    config,
    service: await boot(),
    async restart(overrides) {
      await harness.service.stop();
      harness.service = await boot(overrides);
    },
    publish: (...events) => publisher.publish(intakeTopic, toMessages(events)),
    async register({ recipientId = '', ...recipient }) {
      const answer = await client.registerRecipient({ metadata: metadata(), recipientId, ...recipient });
      // The secret is answered this once: the receiver checks the calls to this path with it.
      if (answer.webhookSecret) receiver.trust(new URL(recipient.address).pathname, answer.webhookSecret);
      return answer.id;
    },
    emailRecipient: (address, follows, consent = true) => harness.register({ role: 'family', channel: 'email', address, consent, follows }),
    webhookRecipient: (path, follows) =>
      harness.register({ role: 'partner-organisation', channel: 'webhook', address: receiver.url(path), consent: true, follows }),
    deliveriesOf: async (personId) => (await client.listDeliveries({ personId, limit: 100, cursor: '' })).items ?? [],
    welfareChecksOf: async (personId, overdue = false) =>
      (await client.listWelfareChecks({ overdue, personId, limit: 100, cursor: '' })).items ?? [],
    scheduledCheck: (personId, count = 1) =>
      eventually(
        () => harness.welfareChecksOf(personId),
        (items) => items.length === count,
        { what: `${count} welfare check(s)` },
      ),
    checkEvents: (type, checkId) =>
      harness.sql(`SELECT event_id, data FROM events WHERE type = $1 AND data->>'checkId' = $2 ORDER BY global_position`, [type, checkId]),
    mailsTo: (address) => smtp.messages.filter((mail) => mail.to.includes(address)),
    sql: (text, parameters = []) => harness.service.runtime.dataSource.query(text, parameters),
    async dump() {
      const tables = await harness.sql<{ name: string }>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      );
      const parts: string[] = [];
      for (const { name } of tables) {
        const rows = await harness.sql<{ text: string }>(`SELECT t::text AS text FROM ${name} t`);
        parts.push(`-- ${name}`, ...rows.map((row) => row.text));
      }
      return parts.join('\n');
    },
    async close() {
      client.close();
      await harness.service.stop();
      await publisher.close();
      await broker.disconnect();
      await receiver.close();
      await smtp.close();
      await database.drop();
    },
  };
  return harness;
}

/**
 * The on-duty roster (WELFARE_ESCALATION_RECIPIENTS) of the welfare-check specs: one on-duty
 * caseworker, one id registered as family (not a caseworker) and one registered by nobody; only
 * the first can be told.
 */
export const roster = { onDuty: randomUUID(), notCaseworker: randomUUID(), unregistered: randomUUID() };
export const onDutyAddress = `on-duty.${roster.onDuty.slice(0, 8)}@example.org`;

/** A harness whose welfare checks fall due after `welfareCheckAfterMs` and escalate to the roster, registered. */
export async function startWelfareCheckHarness(welfareCheckAfterMs: number): Promise<NotificationsHarness> {
  const { onDuty, notCaseworker, unregistered } = roster;
  const harness = await startNotificationsHarness({ welfareCheckAfterMs, escalationRecipients: [onDuty, notCaseworker, unregistered] });
  await harness.register({ recipientId: onDuty, role: 'caseworker', channel: 'email', address: onDutyAddress, consent: true, follows: [] });
  await harness.register({
    recipientId: notCaseworker,
    role: 'family',
    channel: 'email',
    address: `family.${notCaseworker.slice(0, 8)}@example.org`,
    consent: true,
    follows: [],
  });
  return harness;
}

/** The escalation emails about a person that reached the on-duty caseworker. */
export const escalationsTo = (harness: NotificationsHarness, personId: string) =>
  harness.mailsTo(onDutyAddress).filter((mail) => mail.raw.includes(personId));
