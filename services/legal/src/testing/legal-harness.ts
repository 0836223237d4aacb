// Boots the real legal service in-process for integration tests: its own database on the test
// Postgres, topics of its own on the test Kafka (intake's and identity-documents' events are
// published there as their relays would), a free port and a gRPC client.
import type { common } from '@homeward/contracts';
import { createKafkaBroker, toMessages, type Broker, type EventEnvelope, type Publisher } from '@homeward/messaging';
import { createTestDatabase, eventually, freePort, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { PatternSettings } from '../person-facts/person-facts.read-model.js';
import { startLegal, type LegalService } from '../service.js';
import { legalClient, type LegalTestClient } from './legal-client.js';

export interface LegalHarness {
  service: LegalService;
  client: LegalTestClient;
  database: TestDatabase;
  broker: Broker;
  topics: { intake: string; identityDocuments: string; legal: string };
  patterns: PatternSettings;
  /** The rules' consumer group as it runs now (a restart may give it a fresh one). */
  rulesGroup: string;
  publishIntake(...events: EventEnvelope[]): Promise<void>;
  publishDocuments(...events: EventEnvelope[]): Promise<void>;
  /** Rows of a query on legal's database. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Waits until the rules' checkpoints cover everything published on both topics so far. */
  caughtUp(what: string): Promise<void>;
  /** Stops the service and starts it again on the same database; `rulesGroup` replays the topics from the start. */
  restart(options?: { rulesGroup?: string }): Promise<void>;
  stop(): Promise<void>;
}

export async function startLegalHarness({ patterns }: { patterns: PatternSettings }): Promise<LegalHarness> {
  const database = await createTestDatabase();
  const topics = {
    intake: uniqueName('test.legal.intake'),
    identityDocuments: uniqueName('test.legal.documents'),
    legal: uniqueName('test.legal.events'),
  };
  const broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'legal-int-test' });
  await broker.ensureTopics([topics.intake, topics.identityDocuments, topics.legal]);
  const publisher: Publisher = await broker.publisher();
  const admin: Admin = new Kafka({ brokers: kafkaBrokers(), clientId: 'legal-int-test-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const grpcUrl = `127.0.0.1:${await freePort()}`;
  const start = (rulesGroup: string) => startLegal({ databaseUrl: database.url, grpcUrl, topics, rulesGroup, patterns });

  const rulesGroup = uniqueName('legal-rules');
  const harness: LegalHarness = {
    service: await start(rulesGroup),
    client: legalClient(grpcUrl),
    database,
    broker,
    topics,
    patterns,
    rulesGroup,
    publishIntake: (...events) => publisher.publish(topics.intake, toMessages(events)),
    publishDocuments: (...events) => publisher.publish(topics.identityDocuments, toMessages(events)),
    query: (sql, params = []) => harness.service.runtime.dataSource.query(sql, params),
    async caughtUp(what) {
      const ends = (
        await Promise.all(
          [topics.intake, topics.identityDocuments].map(async (topic) =>
            (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, ...p })),
          ),
        )
      )
        .flat()
        .filter((p) => Number(p.high) > 0);
      await eventually(
        () =>
          harness.query<{ topic: string; partition: number; offset: string }>(
            `SELECT topic, partition, "offset" FROM checkpoints WHERE group_id = $1`,
            [harness.rulesGroup],
          ),
        (rows) =>
          ends.every((end) =>
            rows.some((row) => row.topic === end.topic && row.partition === end.partition && Number(row.offset) >= Number(end.high) - 1),
          ),
        { timeoutMs: 60_000, what },
      );
    },
    async restart({ rulesGroup } = {}) {
      await harness.service.stop();
      if (rulesGroup) harness.rulesGroup = rulesGroup;
      harness.service = await start(harness.rulesGroup);
    },
    async stop() {
      harness.client.close();
      await harness.service.stop();
      await admin.disconnect();
      await publisher.close();
      await broker.disconnect();
      await database.drop();
    },
  };
  return harness;
}

let sequence = 0;
/** CommandMetadata of an advisor's test request; pass an Idempotency-Key or an expected version when needed. */
export const metadata = (overrides: Partial<common.CommandMetadata> = {}): common.CommandMetadata => ({
  actor: 'lawyer-1',
  correlationId: `corr-${++sequence}`,
  causationId: '',
  idempotencyKey: '',
  traceparent: '',
  ...overrides,
});
