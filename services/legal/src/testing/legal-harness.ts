// Boots the real legal service in-process for integration tests: its own database on the test
// Postgres, topics of its own on the test Kafka (intake's and identity-documents' events are
// published there as their relays would), a free port and a gRPC client, with the reads every
// legal spec makes: a person's case, their facts, and what legal publishes on its own topic.
import type { common, legal } from '@homeward/contracts';
import { caseIdOf } from '@homeward/legal-domain';
import {
  createKafkaBroker,
  decodeEventValue,
  sourceOf,
  toMessages,
  type Broker,
  type EventEnvelope,
  type Publisher,
  type Subscription,
} from '@homeward/messaging';
import { createTestDatabase, eventually, freePort, harnessPerSpec, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { PatternSettings } from '../person-facts/person-facts.read-model.js';
import { startLegal, type LegalService } from '../service.js';
import { legalClient, type LegalTestClient } from './legal-client.js';
import { documents, intake } from './observed-events.js';

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
  /** The case of a person, read over gRPC. */
  caseOf(personId: string): Promise<legal.LegalCase>;
  /** The case of a person once `done` holds for it. */
  caseWith(personId: string, done: (found: legal.LegalCase) => boolean, what: string): Promise<legal.LegalCase>;
  /** The person's facts as the rules folded them. */
  factsOf(personId: string): Promise<Record<string, unknown> | undefined>;
  /** Events legal published on its topic so far, when started with `watchLegalTopic`. */
  published: EventEnvelope[];
  /** Waits until the rules' checkpoints cover everything published on both topics so far. */
  caughtUp(what: string): Promise<void>;
  /** Stops the service and starts it again on the same database; `rulesGroup` replays the topics from the start. */
  restart(options?: { rulesGroup?: string }): Promise<void>;
  stop(): Promise<void>;
}

const defaultPatterns: PatternSettings = { batchThreshold: 3, periodThreshold: 3, periodWindowDays: 30 };

export async function startLegalHarness({
  patterns = defaultPatterns,
  watchLegalTopic = false,
}: { patterns?: PatternSettings; watchLegalTopic?: boolean } = {}): Promise<LegalHarness> {
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
  const published: EventEnvelope[] = [];
  const watcher: Subscription | undefined = watchLegalTopic
    ? await broker.subscribe({
        groupId: uniqueName('legal-topic-watcher'),
        topics: [topics.legal],
        async eachBatch(batch) {
          for (const message of batch.messages)
            published.push({ ...decodeEventValue(sourceOf(message.headers), message.value), subject: message.key });
          batch.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
        },
      })
    : undefined;
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
    caseOf: (personId) => harness.client.getCase({ caseId: caseIdOf(personId) }),
    caseWith: (personId, done, what) => eventually(() => harness.caseOf(personId), done, { timeoutMs: 30_000, what }),
    factsOf: async (personId) =>
      (await harness.query<{ doc: Record<string, unknown> }>(`SELECT doc FROM person_facts WHERE id = $1`, [personId]))[0]?.doc,
    published,
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
      await watcher?.stop();
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

/** An advisor's reasoning for confirming the deportation's ICCPR 12(4) flag. */
export const confirmation = 'Deportation without consent is documented by the border record and two witnesses.';
const dismissal = 'The person could still leave Lithuania for a third country.';

export interface FlaggedCase {
  readonly harness: LegalHarness;
  /** ICCPR 12(4) and 12(2), as the rules flagged them. */
  readonly flags: legal.Violation[];
  flagFor(citation: string): legal.Violation;
}

/**
 * A harness of its own for the describe block it is called in, and a case there for advisors to
 * work on: the person is deported without consent, their passport is taken, and the rules flag
 * ICCPR 12(4) and 12(2). `decided`: an advisor has then confirmed 12(4) and dismissed 12(2).
 */
export function flaggedCase(personId: string, { decided = false } = {}): FlaggedCase {
  return harnessPerSpec(
    async () => {
      const harness = await startLegalHarness();
      await harness.publishIntake(intake.deported(personId));
      await harness.publishDocuments(documents.confiscated(personId));
      const flags = (await harness.caseWith(personId, (c) => c.violations.length === 2, 'the flags to work on')).violations;
      const flagFor = (citation: string) => flags.find((flag) => flag.citation === citation)!;
      if (decided) {
        const caseId = caseIdOf(personId);
        const [twelveFour, twelveTwo] = [flagFor('ICCPR 12(4)'), flagFor('ICCPR 12(2)')];
        await harness.client.confirmViolation({
          metadata: metadata(),
          caseId,
          violationId: twelveFour.violationId,
          reasoning: confirmation,
        });
        await harness.client.dismissViolation({ metadata: metadata(), caseId, violationId: twelveTwo.violationId, reasoning: dismissal });
      }
      return { harness, flags, flagFor };
    },
    (flagged) => flagged.harness.stop(),
  );
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
