// Boots the audit service in-process for integration tests: its own database on the test Postgres,
// topics of its own on the test Kafka (KAFKA_TOPIC_PREFIX, restored by stop), a publisher that
// puts events on them as the producers' relays do, and a gRPC client.
import { createKafkaBroker, toMessages, topicOf, type Broker, type EventEnvelope, type Publisher } from '@homeward/messaging';
import { createTestDatabase, eventually, harnessPerSpec, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import { auditedContexts, startAudit, type AuditOptions, type AuditService } from '../service.js';
import { auditClient, freePort, type AuditTestClient } from './audit-client.js';
import type { TwoPeople } from './events.js';

export interface AuditHarness {
  service: AuditService;
  client: AuditTestClient;
  database: TestDatabase;
  publish(context: string, ...events: EventEnvelope[]): Promise<void>;
  /** Rows of a query on audit's database. */
  sql<Row>(text: string, parameters?: unknown[]): Promise<Row[]>;
  /** Waits until every one of these events is in the copy. */
  copied(eventIds: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** `name` tags the run's topics, consumer group and client; `options` go to startAudit. */
export async function startAuditHarness(
  name: string,
  options: Omit<AuditOptions, 'databaseUrl' | 'grpcUrl' | 'consumerGroup'> = {},
): Promise<AuditHarness> {
  const previousPrefix = process.env.KAFKA_TOPIC_PREFIX;
  process.env.KAFKA_TOPIC_PREFIX = `${uniqueName(name)}.`;
  let database: TestDatabase | undefined;
  let broker: Broker | undefined;
  let publisher: Publisher | undefined;
  let service: AuditService | undefined;
  let client: AuditTestClient | undefined;
  const stop = async () => {
    client?.close();
    await service?.stop();
    await publisher?.close();
    await broker?.disconnect();
    await database?.drop();
    if (previousPrefix === undefined) delete process.env.KAFKA_TOPIC_PREFIX;
    else process.env.KAFKA_TOPIC_PREFIX = previousPrefix;
  };
  try {
    database = await createTestDatabase();
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: `${name}-test` });
    await broker.ensureTopics(auditedContexts.map((context) => topicOf(context)));
    publisher = await broker.publisher();
    const grpcUrl = `127.0.0.1:${await freePort()}`;
    service = await startAudit({ ...options, databaseUrl: database.url, grpcUrl, consumerGroup: uniqueName(`${name}-group`) });
    client = auditClient(grpcUrl);
  } catch (error) {
    await stop();
    throw error;
  }
  const running = service;
  const sql = <Row>(text: string, parameters: unknown[] = []) => running.runtime.dataSource.query(text, parameters) as Promise<Row[]>;
  return {
    service: running,
    client,
    database,
    publish: (context, ...events) => publisher!.publish(topicOf(context), toMessages(events)),
    sql,
    async copied(eventIds) {
      await eventually(
        () => sql<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE event_id = ANY($1::uuid[])`, [eventIds]),
        ([row]) => Number(row!.n) === eventIds.length,
        { what: 'events copied' },
      );
    },
    stop,
  };
}

/**
 * A harness of its own for the describe block it is called in (`name` as for startAuditHarness),
 * with `people`'s events published and copied before its tests.
 */
export function auditHarnessWith(name: string, people?: TwoPeople): AuditHarness {
  return harnessPerSpec(
    async () => {
      const audit = await startAuditHarness(name);
      if (!people) return audit;
      const { storyA, storyB, legalStream } = people;
      await audit.publish('intake', ...storyA, ...storyB);
      await audit.publish('legal', ...legalStream);
      await audit.copied([...storyA, ...storyB, ...legalStream].map((event) => event.eventId));
      return audit;
    },
    (audit) => audit.stop(),
  );
}
