// The operator surface against PostgreSQL and Kafka: an inline read model rebuilt while appends
// keep coming and reads keep answering ends identical to a twin never rebuilt; a dead letter
// retried after the fix is applied once; a replay queues a stream's events in order; a verify
// names an altered event.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cloudEventHeaders,
  createKafkaBroker,
  encodeEventValue,
  type Broker,
  type ConsumedEvent,
  type EventEnvelope,
} from '@homeward/messaging';
import { createTestDatabase, eventually, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import {
  ConsumerRunner,
  EventStore,
  applyToDocuments,
  documentTableSql,
  eventColumns,
  eventStoreMigrations,
  openDatabase,
  outboxEventsJoin,
  rowToEnvelope,
  type DocumentProjection,
} from '@homeward/eventsourcing';
import { context, releaseDecider } from '@homeward/eventsourcing/testing';
import type { ConsumerReadModel } from './consumer-rebuild.js';
import { ServiceOperations } from './operations.js';
import { operationsMigrations } from './migrations.js';
import { rebuildInlineProjection } from './rebuild.js';

const readModelTables = ['release_counts', 'release_twin', 'consumed_releases', 'consumed_live', 'consumed_twin'];

class ReadModels1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    for (const table of readModelTables) await runner.query(documentTableSql(table));
    await runner.query(`CREATE INDEX release_counts_releases_idx ON release_counts ((doc->>'releases'))`);
  }
  async down(runner: QueryRunner) {
    for (const table of readModelTables) await runner.query(`DROP TABLE ${table}`);
  }
}

type Counts = { releases: number; days: number[] };
const counting = (name: string): DocumentProjection<Counts> => ({
  name,
  handles: ['PrisonerReleased'],
  idOf: (event) => event.subject,
  // The order of `days` makes a misordered or doubled replay visible in the checksum.
  evolve: (doc, event) => ({
    releases: (doc?.releases ?? 0) + 1,
    days: [...(doc?.days ?? []), event.data.daysOfSentenceRemaining as number],
  }),
});
const releaseCounts = counting('release_counts');
const twin = counting('release_twin');
const consumed = counting('consumed_releases');

describe('ServiceOperations against PostgreSQL and Kafka', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: EventStore;
  let operations: ServiceOperations;

  const release = (person: number, days: number) =>
    store.handle(
      releaseDecider,
      { type: 'Release', personId: `p-${person}`, days },
      { streamId: `person-p-${person}`, subject: `p-${person}` },
      context(),
    );
  const checksum = async (table: string) =>
    (
      (await dataSource.query(`SELECT md5(string_agg(id || doc::text, ',' ORDER BY id)) AS sum FROM ${table}`)) as Array<{ sum: string }>
    )[0]!.sum;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({
      url: database.url,
      migrations: [...eventStoreMigrations, ...operationsMigrations, ReadModels1764000000001],
    });
    store = new EventStore(dataSource, { source: 'intake', topic: uniqueName('test.ops'), projections: [releaseCounts, twin] });
    operations = new ServiceOperations({ service: 'intake', dataSource, store, consumers: [], pageSize: 100 });
    for (let i = 0; i < 600; i += 1) await release(i % 40, i);
  });

  afterAll(async () => {
    await operations.settle();
    await dataSource.destroy();
    await database.drop();
  });

  it('rebuilds an inline read model under appends and reads, identical to its never-rebuilt twin', async () => {
    let appending = true;
    let appended = 0;
    const appender = (async () => {
      for (let i = 0; appending; i += 1) {
        await Promise.all([release(i % 40, 10_000 + i), release((i + 7) % 40, 20_000 + i)]);
        appended += 2;
      }
    })();
    let reads = 0;
    let misses = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const rows: unknown[] = await dataSource.query(`SELECT doc FROM release_counts WHERE id = 'p-3'`);
        reads += 1;
        if (rows.length !== 1) misses += 1;
      }
    })();
    let pages = 0;
    // One append held open across two pages: its event's position is below the cursor when it
    // commits, and the next page must still apply it, once.
    let commitHeld: (() => void) | null = null;
    let held: Promise<unknown> | null = null;
    const progress = await rebuildInlineProjection({
      dataSource,
      projection: releaseCounts,
      pageSize: 100,
      afterPage: async () => {
        pages += 1;
        if (pages === 2) {
          let inserted!: () => void;
          const written = new Promise<void>((resolve) => (inserted = resolve));
          const gate = new Promise<void>((resolve) => (commitHeld = resolve));
          held = dataSource.transaction(async (tx) => {
            await store.handleIn(
              tx,
              releaseDecider,
              { type: 'Release', personId: 'p-late', days: 7 },
              { streamId: 'person-p-late', subject: 'p-late' },
              context(),
            );
            inserted();
            await gate;
          });
          await written;
        }
        await release(pages % 40, 30_000 + pages); // an append between pages, for certain
        if (pages === 4) {
          commitHeld!();
          await held;
        }
      },
    });
    appending = false;
    await appender;
    reading = false;
    await reader;
    process.stdout.write(
      `rebuild: ${progress.eventsDone} events in ${pages + 1} pages, ${appended + pages} appended meanwhile, ` +
        `${reads} reads, ${misses} misses\n`,
    );

    expect(pages).toBeGreaterThanOrEqual(5);
    expect(await dataSource.query(`SELECT doc FROM release_counts WHERE id = 'p-late'`)).toEqual([{ doc: { releases: 1, days: [7] } }]);
    expect(appended).toBeGreaterThan(0);
    expect(misses).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(await checksum('release_counts')).toBe(await checksum('release_twin'));
    const [{ total }] = await dataSource.query(`SELECT sum((doc->>'releases')::int)::int AS total FROM release_counts`);
    const [{ events }] = await dataSource.query(`SELECT count(*)::int AS events FROM events`);
    expect(total).toBe(events);
    // The live table kept its indexes, and no shadow or old table is left behind.
    const indexes: unknown[] = await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'release_counts'`);
    expect(indexes).toHaveLength(2);
    const leftovers: unknown[] = await dataSource.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'release_counts\\_\\_%'`);
    expect(leftovers).toEqual([]);
  });

  it('runs a rebuild as a job with progress, and lists the read models', async () => {
    const job = await operations.rebuildProjection('release_counts');
    expect(job).toMatchObject({ kind: 'rebuild', projection: 'release_counts', state: 'running' });
    // Asked again while it runs: the same job, not a second rebuild.
    expect(await operations.rebuildProjection('release_counts')).toMatchObject({ id: job.id, state: 'running' });
    await operations.settle();
    const done = await operations.getJob(job.id);
    expect(done).toMatchObject({ state: 'done', errorCode: '' });
    expect(done.eventsDone).toBeGreaterThan(600);
    expect(done.eventsDone).toBe(done.eventsTotal);
    expect(await checksum('release_counts')).toBe(await checksum('release_twin'));
    await expect(operations.rebuildProjection('no_such_thing')).rejects.toMatchObject({ code: 'projection.not-found' });
    const listed = await operations.listProjections();
    expect(listed.map((p) => [p.name, p.kind, p.state, p.rows])).toEqual([
      ['release_counts', 'inline', 'live', 41],
      ['release_twin', 'inline', 'live', 41],
    ]);
    const metrics = await operations.metrics();
    expect(metrics).toContain('homeward_projection_rows{service="intake",projection="release_counts",kind="inline"} 41');
    expect(metrics).not.toMatch(/p-(\d|late)/);
  });

  it('queues a stream for re-publication through the outbox, in stream order', async () => {
    await dataSource.query(`DELETE FROM outbox`);
    const job = await operations.republishEvents({ streamId: 'person-p-5' });
    const queued: Array<{ version: number }> = await dataSource.query(
      `SELECT e.stream_version AS version FROM outbox o ${outboxEventsJoin} ORDER BY o.position, e.stream_version`,
    );
    const [{ versions }] = await dataSource.query(`SELECT count(*)::int AS versions FROM events WHERE stream_id = 'person-p-5'`);
    expect(queued.map((row) => row.version)).toEqual(Array.from({ length: versions }, (_, i) => i + 1));
    expect(job).toMatchObject({ kind: 'republish', state: 'done', eventsDone: versions });
    await expect(operations.republishEvents({})).rejects.toMatchObject({ code: 'replay.range-missing' });
  });

  it('names the first altered event of a stream', async () => {
    expect(await operations.verifyStream('person-p-6')).toMatchObject({ valid: true });
    const [third]: Array<{ event_id: string }> = await dataSource.query(
      `SELECT event_id FROM events WHERE stream_id = 'person-p-6' AND stream_version = 3`,
    );
    await dataSource.query(`UPDATE events SET data = jsonb_set(data, '{daysOfSentenceRemaining}', '1') WHERE event_id = $1`, [
      third!.event_id,
    ]);
    expect(await operations.verifyStream('person-p-6')).toMatchObject({
      valid: false,
      firstBroken: { eventId: third!.event_id, streamVersion: 3, reason: 'hash-mismatch' },
    });
    await expect(operations.verifyStream('person-nobody')).rejects.toMatchObject({ code: 'stream.not-found' });
  });

  describe('dead letters', () => {
    let broker: Broker;
    afterAll(async () => broker?.disconnect());

    it('re-applies a dead letter once after the fix, and a second retry does nothing', async () => {
      broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'ops-test' });
      const topic = uniqueName('test.ops.intake');
      await broker.ensureTopics([topic]);
      let fixed = false;
      const groupId = uniqueName('ops-group');
      const consumer = new ConsumerRunner({
        dataSource,
        broker,
        groupId,
        topics: [topic],
        async handle(tx, events) {
          if (!fixed && events.some((event) => event.data.daysOfSentenceRemaining === 666)) throw new Error('not fixed yet');
          await applyToDocuments(tx, consumed, events);
        },
      });
      const ops = new ServiceOperations({
        service: 'intake',
        dataSource,
        store,
        consumers: [consumer],
        consumerReadModels: [
          {
            tables: ['consumed_releases'],
            groupId,
            project: (tx, events, tableOf) => applyToDocuments(tx, consumed, events, tableOf('consumed_releases')).then(() => undefined),
          },
        ],
      });
      await consumer.start();
      try {
        const [poison, good] = await Promise.all([release(100, 666), release(101, 1)]);
        const events = [...(await store.readStream('person-p-100')), ...(await store.readStream('person-p-101'))];
        expect(events.map((event) => event.eventId)).toEqual([...poison.eventIds, ...good.eventIds]);
        const publisher = await broker.publisher();
        // One key, so one partition: a failing message among others is isolated and dead-lettered
        // (a lone failing message is retried as a transient failure).
        await publisher.publish(
          topic,
          events.map((event) => ({ key: 'p-100', value: encodeEventValue(event), headers: cloudEventHeaders(event) })),
        );
        await publisher.close();
        await eventually(
          async () => (await dataSource.query(`SELECT id FROM consumed_releases WHERE id = 'p-101'`)).length,
          (n) => n === 1,
          {
            timeoutMs: 30_000,
            what: 'the good event after the poison one',
          },
        );
        const [letter] = await eventually(
          () => ops.listDeadLetters(),
          (letters) => letters.length === 1,
          { timeoutMs: 30_000, what: 'the dead letter' },
        );
        expect(letter).toMatchObject({ groupId: consumer.groupId, topic, eventType: 'PrisonerReleased', retriedAt: '' });
        expect(JSON.stringify(letter)).not.toMatch(/p-100|666/);

        await expect(ops.retryDeadLetter(letter!.id)).rejects.toMatchObject({ code: 'dead-letter.still-failing' });
        fixed = true;
        expect(await ops.retryDeadLetter(letter!.id)).toEqual({ id: letter!.id, outcome: 'applied' });
        expect(await ops.retryDeadLetter(letter!.id)).toEqual({ id: letter!.id, outcome: 'already-retried' });
        const rows: Array<{ doc: Counts }> = await dataSource.query(`SELECT doc FROM consumed_releases WHERE id = 'p-100'`);
        expect(rows.map((row) => row.doc)).toEqual([{ releases: 1, days: [666] }]);
        expect((await ops.listDeadLetters())[0]!.retriedAt).not.toBe('');
        const listed = await ops.listProjections();
        expect(listed.find((p) => p.name === 'consumed_releases')).toMatchObject({ kind: 'consumer', rows: 2 });
      } finally {
        await consumer.stop();
      }
    });

    it("rebuilds a consumer-fed read model from topics while live applies: equals a twin group, skips live's dead letters", async () => {
      broker ??= createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'ops-test' });
      const topic = uniqueName('test.ops.consumed');
      await broker.ensureTopics([topic], { partitions: 3 });
      const poisonDays = 999;
      const feeder =
        (table: string) =>
        async (tx: EntityManager, events: ConsumedEvent[], tableOf: (name: string) => string = (name) => name) => {
          if (events.some((event) => event.data.daysOfSentenceRemaining === poisonDays)) throw new Error('refused for good');
          await applyToDocuments(tx, counting(table), events, tableOf(table));
        };
      const runner = (table: string, groupId: string) =>
        new ConsumerRunner({
          dataSource,
          broker,
          groupId,
          topics: [topic],
          maxAttempts: 1,
          handle: (tx, events) => feeder(table)(tx, events),
        });
      const liveGroup = uniqueName('ops-live');
      const live = runner('consumed_live', liveGroup);
      const twinConsumer = runner('consumed_twin', uniqueName('ops-twin'));
      const readModel: ConsumerReadModel = { tables: ['consumed_live'], groupId: liveGroup, project: feeder('consumed_live') };
      const ops = new ServiceOperations({
        service: 'intake',
        dataSource,
        store,
        consumers: [live, twinConsumer],
        consumerReadModels: [readModel],
      });
      const publisher = await broker.publisher();
      const publish = async (events: EventEnvelope[]) =>
        publisher.publish(
          topic,
          events.map((event) => ({ key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event) })),
        );
      let person = 200;
      const releases = async (count: number, days = 1) => {
        const appended: EventEnvelope[] = [];
        for (let i = 0; i < count; i += 1) {
          const { eventIds } = await release(person + (i % 25), days);
          appended.push(
            ...(await dataSource.query(`SELECT ${eventColumns} FROM events WHERE event_id = ANY($1)`, [eventIds])).map(rowToEnvelope),
          );
        }
        person += 1;
        return appended;
      };
      await live.start();
      await twinConsumer.start();
      let sent = 0;
      try {
        const first = await releases(200);
        const poison = await releases(1, poisonDays);
        // The first 40 are sent again at the end: the inbox skips them.
        await publish([...first.slice(0, 100), ...poison, ...first.slice(100), ...first.slice(0, 40)]);
        sent += first.length;
        await eventually(
          () => live.lag(),
          (lag) => lag.every((row) => row.lag === '0'),
          { timeoutMs: 30_000, what: 'the live group to catch up' },
        );

        let publishing = true;
        const more = (async () => {
          while (publishing) {
            const batch = await releases(5);
            await publish(batch);
            sent += batch.length;
          }
        })();
        const job = await ops.rebuildProjection('consumed_live');
        expect(job).toMatchObject({ state: 'running', projection: 'consumed_live' });
        expect((await ops.listProjections()).find((item) => item.name === 'consumed_live')).toMatchObject({
          kind: 'consumer',
          state: 'rebuilding',
        });
        await ops.settle();
        publishing = false;
        await more;
        const done = await ops.getJob(job.id);
        expect(done).toMatchObject({ state: 'done', errorCode: '' });

        for (const consumer of [live, twinConsumer]) {
          await eventually(
            () => consumer.lag(),
            (lag) => lag.every((row) => row.lag === '0'),
            { timeoutMs: 30_000, what: 'both groups to catch up' },
          );
        }
        const total = async (table: string) =>
          ((await dataSource.query(`SELECT coalesce(sum((doc->>'releases')::int), 0)::int AS n FROM ${table}`)) as Array<{ n: number }>)[0]!
            .n;
        const [{ dead }] = await dataSource.query(`SELECT count(*)::int AS dead FROM dead_letters WHERE group_id = $1`, [live.groupId]);
        process.stdout.write(
          `consumer rebuild: ${done.eventsDone} events read back, ${sent} sent (40 republished, 1 dead-lettered), ` +
            `live ${await total('consumed_live')}, twin ${await total('consumed_twin')}\n`,
        );
        expect(dead).toBe(1);
        expect(await total('consumed_live')).toBe(sent);
        expect(await checksum('consumed_live')).toBe(await checksum('consumed_twin'));
        const leftovers: unknown[] = await dataSource.query(
          `SELECT tablename FROM pg_tables WHERE tablename LIKE 'consumed\\_live\\_\\_%'`,
        );
        expect(leftovers).toEqual([]);
      } finally {
        await publisher.close();
        await live.stop();
        await twinConsumer.stop();
      }
    });
  });
});
