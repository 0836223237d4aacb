// Many concurrent writers append while the relay runs, and one append commits long after later
// ones were published. Every event must reach Kafka exactly once, each stream in order.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Decider } from '@homeward/decider';
import { createKafkaBroker, decodeEventValue, sourceOf, type Broker, type EventEnvelope } from '@homeward/messaging';
import { createTestDatabase, eventually, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../database.js';
import { documentTableSql, type DocumentProjection } from '../projections/document-projection.js';
import { EventStore } from '../store/event-store.js';
import { eventStoreMigrations } from '../store/event-store.migration.js';
import { context, releaseDecider, type TestEvent } from '../testing/release-decider.js';
import { OutboxWakeUp } from '../store/outbox-wake-up.js';
import { OutboxRelay } from './outbox-relay.js';

const WRITERS = 16;
const APPENDS_PER_WRITER = 40;
const STREAMS = 24;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

class GateTable1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('late_gate'));
    await runner.query(`INSERT INTO late_gate (id, doc) VALUES ('p-late', '{}')`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE late_gate');
  }
}

// The late append's inline projection row is locked by the test, so its transaction (outbox row
// already inserted, with a low position) stays open until the test lets go.
const lateGate: DocumentProjection<object> = {
  name: 'late_gate',
  handles: ['PrisonerReleased'],
  idOf: (event) => (event.subject === 'p-late' ? 'p-late' : null),
  evolve: (doc) => doc ?? {},
};

describe('OutboxRelay against PostgreSQL and Kafka', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let broker: Broker;
  let relay: OutboxRelay;
  const topic = uniqueName('test.relay');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [...eventStoreMigrations, GateTable1764000000001], poolSize: 20 });
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'relay-test' });
    await broker.ensureTopics([topic]);
    relay = new OutboxRelay({ dataSource, databaseUrl: database.url, publisher: await broker.publisher(), batchSize: 100 });
    await relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await broker.disconnect();
    await dataSource.destroy();
    await database.drop();
  });

  /** Everything on `topic` once `expected` events have arrived and a second has passed (anything more would be a duplicate). */
  async function readTopic(name: string, expected: number) {
    const seen: EventEnvelope[] = [];
    const traceparents = new Set<string>();
    const reader = await broker.subscribe({
      groupId: uniqueName('relay-test-reader'),
      topics: [name],
      eachBatch: async (batch) => {
        for (const message of batch.messages) {
          seen.push(decodeEventValue(sourceOf(message.headers), message.value));
          traceparents.add(String(message.headers['traceparent'] ?? ''));
          batch.resolveOffset(message.offset);
        }
      },
    });
    await eventually(
      async () => seen.length,
      (n) => n >= expected,
      { timeoutMs: 60_000, what: `${expected} events on Kafka` },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await reader.stop();
    return { seen, traceparents };
  }

  const versionsByStream = (events: EventEnvelope[]) => {
    const versions = new Map<string, number[]>();
    for (const event of events) versions.set(event.streamId, [...(versions.get(event.streamId) ?? []), event.streamVersion]);
    return versions;
  };

  it('publishes every event exactly once and in stream order, including one that commits late', async () => {
    const store = new EventStore(dataSource, { source: 'intake', topic, projections: [lateGate] });
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query(`SELECT id FROM late_gate WHERE id = 'p-late' FOR UPDATE`);

    const lateAppend = store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-late', days: 1 },
      { streamId: 'person-late', subject: 'p-late' },
      context(),
    );
    await eventually(
      async () => Number((await dataSource.query(`SELECT count(*) FROM pg_locks WHERE NOT granted`))[0].count),
      (waiting) => waiting > 0,
      { what: 'the late append to wait on the gate' },
    );

    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i += 1) {
          const stream = (writer * APPENDS_PER_WRITER + i) % STREAMS;
          await store.handle(
            releaseDecider,
            { type: 'Release', personId: `p-${stream}`, days: i },
            { streamId: `person-${stream}`, subject: `p-${stream}` },
            { ...context(), traceparent: TRACEPARENT },
          );
        }
      }),
    );
    const others = WRITERS * APPENDS_PER_WRITER;
    await eventually(
      async () => relay.published,
      (n) => n >= others,
      { timeoutMs: 60_000, what: 'the committed events to be published' },
    );
    const publishedBeforeLateCommit = relay.published;

    await lock.commitTransaction();
    await lock.release();
    await lateAppend;
    const expected = others + 1;

    const { seen, traceparents } = await readTopic(topic, expected);
    const distinct = new Set(seen.map((event) => event.eventId)).size;
    const outOfOrder = [...versionsByStream(seen)].filter(([, versions]) => versions.some((version, i) => version !== i + 1));
    process.stdout.write(
      `relay: appended ${expected} (${WRITERS} writers), published before the late commit ${publishedBeforeLateCommit}, ` +
        `seen ${seen.length}, distinct ${distinct}, streams out of order ${outOfOrder.length}\n`,
    );
    expect(publishedBeforeLateCommit).toBe(others);
    expect(seen.some((event) => event.subject === 'p-late')).toBe(true);
    expect(seen).toHaveLength(expected);
    expect(distinct).toBe(expected);
    expect(outOfOrder).toEqual([]);
    expect(traceparents).toEqual(new Set([TRACEPARENT, '']));
    expect(Number((await dataSource.query('SELECT count(*) FROM outbox'))[0].count)).toBe(0);
  });

  it('splits appends larger than what is left of a batch and still publishes each stream in order', async () => {
    const bigTopic = uniqueName('test.relay-big');
    await broker.ensureTopics([bigTopic]);
    const store = new EventStore(dataSource, { source: 'intake', topic: bigTopic });
    const EVENTS_PER_APPEND = 37; // the relay's batches are 100: most appends are cut in two
    const manyReleases: Decider<{ personId: string }, TestEvent, object> = {
      initialState: () => ({}),
      evolve: (state) => state,
      decide: (command) =>
        Array.from(
          { length: EVENTS_PER_APPEND },
          () => releaseDecider.decide({ type: 'Release', personId: command.personId, days: 1 }, { releases: 0 })[0]!,
        ),
    };
    const STREAMS_BIG = 4;
    const APPENDS_PER_STREAM = 5;
    await Promise.all(
      Array.from({ length: STREAMS_BIG }, async (_, stream) => {
        for (let i = 0; i < APPENDS_PER_STREAM; i += 1) {
          await store.handle(
            manyReleases,
            { personId: `big-${stream}` },
            { streamId: `person-big-${stream}`, subject: `big-${stream}` },
            context(),
          );
        }
      }),
    );
    const expected = STREAMS_BIG * APPENDS_PER_STREAM * EVENTS_PER_APPEND;
    const { seen } = await readTopic(bigTopic, expected);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen.map((event) => event.eventId)).size).toBe(expected);
    expect([...versionsByStream(seen).values()]).toEqual(
      Array.from({ length: STREAMS_BIG }, () => Array.from({ length: APPENDS_PER_STREAM * EVENTS_PER_APPEND }, (_, i) => i + 1)),
    );
    expect(Number((await dataSource.query('SELECT count(*) FROM outbox'))[0].count)).toBe(0);
  });

  it('is woken directly by commits of its own process while it leads, and by NOTIFY once it does not', async () => {
    const wakeUp = OutboxWakeUp.of(dataSource);
    const store = new EventStore(dataSource, { source: 'intake', topic });
    const release = (n: number) =>
      store.handle(
        releaseDecider,
        { type: 'Release', personId: `w-${n}`, days: 1 },
        { streamId: `person-w-${n}`, subject: `w-${n}` },
        context(),
      );
    await relay.stop();
    // It polls once in ten minutes: only a wake-up can publish within the test.
    const patient = new OutboxRelay({
      dataSource,
      databaseUrl: database.url,
      publisher: await broker.publisher(),
      pollIntervalMs: 600_000,
    });
    await patient.start();
    await eventually(
      async () => patient.leading,
      (leading) => leading,
      { what: 'the relay to lead' },
    );
    const notifiedBefore = wakeUp.sent;
    for (let n = 0; n < 3; n += 1) await release(n);
    await eventually(
      async () => patient.published,
      (n) => n === 3,
      { timeoutMs: 20_000, what: 'three events published after their commits' },
    );
    expect(wakeUp.sent).toBe(notifiedBefore);

    await patient.stop();
    await release(3);
    expect(wakeUp.sent).toBe(notifiedBefore + 1);
    relay = new OutboxRelay({ dataSource, databaseUrl: database.url, publisher: await broker.publisher(), batchSize: 100 });
    await relay.start();
    await eventually(
      async () => Number((await dataSource.query('SELECT count(*) FROM outbox'))[0].count),
      (n) => n === 0,
      { what: 'the last event published' },
    );
  });
});
