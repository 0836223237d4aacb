// A consumer is stopped mid-stream and a new one takes over the group; the relay "crashes" and
// republishes events already sent. The read model must end with every event once: no duplicate,
// no gap. A poison message goes to the dead-letter topic and the consumer keeps going.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cloudEventHeaders,
  createKafkaBroker,
  deadLetterTopicOf,
  encodeEventValue,
  type Broker,
  type EventEnvelope,
  type Publisher,
} from '@homeward/messaging';
import { createTestDatabase, eventually, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../database.js';
import { hashEvent } from '../hash-chain/hash-chain.js';
import { applyToDocuments, documentTableSql, type DocumentProjection } from '../projections/document-projection.js';
import { eventStoreMigrations } from '../store/event-store.migration.js';
import { ConsumerRunner } from './consumer-runner.js';

class SeenVersionsTable1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('seen_versions'));
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE seen_versions');
  }
}

const seenVersions: DocumentProjection<{ versions: number[] }> = {
  name: 'seen_versions',
  handles: ['PrisonerReleased'],
  idOf: (event) => event.streamId,
  evolve: (doc, event) => ({ versions: [...(doc?.versions ?? []), event.streamVersion] }),
};

const STREAMS = 30;

function releaseEvents(streams: number, versions: number[]): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (const version of versions) {
    for (let stream = 0; stream < streams; stream += 1) {
      const unhashed = {
        eventId: `0190a000-0000-7000-8000-${String(stream).padStart(4, '0')}${String(version).padStart(8, '0')}`,
        streamId: `person-${stream}`,
        streamVersion: version,
        type: 'PrisonerReleased',
        schemaVersion: 1,
        data: {
          personId: `p-${stream}`,
          releasedAt: '2025-09-11T09:00:00.000Z',
          mechanism: 'brokered',
          batchId: 'b-1',
          daysOfSentenceRemaining: version,
        },
        occurredAt: '2025-09-11T10:00:00.000Z',
        recordedAt: '2025-09-11T10:00:00.000Z',
        actor: 'test',
        correlationId: 'c',
        causationId: 'c',
        subject: `p-${stream}`,
        source: 'intake',
        prevHash: '',
      };
      events.push({ ...unhashed, hash: hashEvent(unhashed) });
    }
  }
  return events;
}

const toMessages = (events: EventEnvelope[]) =>
  events.map((event) => ({ key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event) }));

describe('ConsumerRunner against PostgreSQL and Kafka', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let broker: Broker;
  let publisher: Publisher;
  const topic = uniqueName('test.consumer');
  const groupId = uniqueName('legal-test');
  let applyDelayMs = 0;
  let poisonType: string | null = null;

  const runner = () =>
    new ConsumerRunner({
      dataSource,
      broker,
      groupId,
      topics: [topic],
      chunkSize: 25,
      async handle(tx, events) {
        if (events.some((event) => event.type === poisonType)) throw new Error('handler cannot apply this');
        if (applyDelayMs) await new Promise((resolve) => setTimeout(resolve, applyDelayMs));
        await applyToDocuments(tx, seenVersions, events);
      },
    });

  const readModel = async () =>
    (await dataSource.query(`SELECT id, doc FROM seen_versions`)) as Array<{ id: string; doc: { versions: number[] } }>;
  const total = async () => (await readModel()).reduce((sum, row) => sum + row.doc.versions.length, 0);
  const deadLetterCount = async (type: string) =>
    Number(
      (
        (await dataSource.query(`SELECT count(*) AS n FROM dead_letters WHERE group_id = $1 AND event_type = $2`, [
          groupId,
          type,
        ])) as Array<{ n: string }>
      )[0]!.n,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [...eventStoreMigrations, SeenVersionsTable1764000000001] });
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'consumer-test' });
    await broker.ensureTopics([topic]);
    publisher = await broker.publisher();
  });

  afterAll(async () => {
    await broker.disconnect();
    await dataSource.destroy();
    await database.drop();
  });

  it('survives a stop mid-stream and republished duplicates with no duplicate and no gap', async () => {
    const firstWave = releaseEvents(
      STREAMS,
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    await publisher.publish(topic, toMessages(firstWave));

    applyDelayMs = 20;
    const first = runner();
    await first.start();
    await eventually(total, (n) => n >= 200, { timeoutMs: 60_000, what: 'the first consumer to get going' });
    await first.stop(); // mid-stream: part of the topic is still unread
    const appliedByFirst = await total();
    const totalLag = async (runner: ConsumerRunner) => (await runner.lag()).reduce((sum, partition) => sum + Number(partition.lag), 0);
    const lagAfterStop = await totalLag(first);

    const secondWave = releaseEvents(
      STREAMS,
      Array.from({ length: 20 }, (_, i) => i + 41),
    );
    const republished = firstWave.slice(0, 150); // a relay that crashed before deleting its outbox rows
    await publisher.publish(topic, toMessages([...republished, ...secondWave]));

    applyDelayMs = 0;
    const second = runner();
    await second.start();
    const expected = STREAMS * 60;
    await eventually(total, (n) => n >= expected, { timeoutMs: 60_000, what: `${expected} events applied` });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const lagWhenCaughtUp = await totalLag(second);
    await second.stop();

    const rows = await readModel();
    const duplicates = rows.reduce((sum, row) => sum + row.doc.versions.length - new Set(row.doc.versions).size, 0);
    const gaps = rows.filter((row) => row.doc.versions.some((version, i) => version !== i + 1)).length;
    process.stdout.write(
      `consumer: sent ${expected + republished.length} (${republished.length} republished), ` +
        `applied by the first consumer ${appliedByFirst}, in read model ${await total()}, ` +
        `duplicates ${duplicates}, streams with gaps ${gaps}\n`,
    );
    expect(appliedByFirst).toBeLessThan(firstWave.length);
    expect(lagAfterStop).toBe(firstWave.length - appliedByFirst);
    expect(lagWhenCaughtUp).toBe(0);
    expect(rows).toHaveLength(STREAMS);
    expect(await total()).toBe(expected);
    expect(duplicates).toBe(0);
    expect(gaps).toBe(0);
  });

  it('dead-letters an undecodable message and one the handler keeps refusing, and carries on', async () => {
    const consumer = runner();
    await consumer.start();
    const before = await total();
    const [good] = releaseEvents(1, [61]);
    const refused = { ...releaseEvents(1, [62])[0]!, type: 'ContactLost', data: { personId: 'p-0', lastContactAt: '', reportedBy: '' } };
    poisonType = 'ContactLost';
    await publisher.publish(topic, [
      { key: 'p-0', value: Buffer.from('not protobuf at all'), headers: { ce_source: '/homeward/intake', ce_id: 'junk' } },
      ...toMessages([refused, good!]),
    ]);
    await eventually(total, (n) => n === before + 1, { timeoutMs: 30_000, what: 'the good event after the poison ones' });
    const deadLetters: Array<{ event_type: string | null; error: string; attempts: number }> = await dataSource.query(
      `SELECT event_type, error, attempts FROM dead_letters WHERE group_id = $1 ORDER BY "offset"`,
      [groupId],
    );
    await consumer.stop();

    const dlq: string[] = [];
    const reader = await broker.subscribe({
      groupId: uniqueName('dlq-reader'),
      topics: [deadLetterTopicOf(topic, groupId)],
      eachBatch: async (batch) => {
        for (const message of batch.messages) dlq.push(String(message.headers['dlq_original_offset']));
      },
    });
    await eventually(
      async () => dlq.length,
      (n) => n >= 2,
      { what: 'two messages on the dead-letter topic' },
    );
    await reader.stop();

    expect(deadLetters).toEqual([
      expect.objectContaining({ event_type: null, attempts: 1 }),
      expect.objectContaining({ event_type: 'ContactLost', attempts: 3 }),
    ]);
    expect(deadLetters[1]!.error).not.toMatch(/p-0/);
  });

  it('applies what several partitions hand over together in one transaction, and still isolates a refused event', async () => {
    poisonType = 'ContactLost';
    const before = await total();
    // One more version of every stream, queued before the consumer starts: its first fetch brings
    // every partition's batch at once, and they are applied together.
    await publisher.publish(topic, toMessages(releaseEvents(STREAMS, [70])));
    const consumer = runner();
    await consumer.start();
    await eventually(total, (n) => n === before + STREAMS, { timeoutMs: 30_000, what: 'one event of every stream' });
    const combined = consumer.combined;

    // A refused event among good ones of every partition: the combined transaction fails, each
    // partition's part is applied on its own, and only the refused event is dead-lettered.
    const deadBefore = await deadLetterCount('ContactLost');
    const refused = { ...releaseEvents(1, [72])[0]!, type: 'ContactLost', data: { personId: 'p-0', lastContactAt: '', reportedBy: '' } };
    await publisher.publish(topic, toMessages([...releaseEvents(STREAMS, [71]), refused]));
    await eventually(total, (n) => n === before + 2 * STREAMS, { timeoutMs: 30_000, what: 'the good events beside the refused one' });
    await eventually(
      () => deadLetterCount('ContactLost'),
      (n) => n === deadBefore + 1,
      { timeoutMs: 30_000, what: 'the refused event dead-lettered' },
    );
    await consumer.stop();

    const rows = await readModel();
    expect(combined).toBeGreaterThan(0);
    expect(rows.filter((row) => row.doc.versions.filter((version) => version === 70 || version === 71).length !== 2)).toEqual([]);
    expect(rows.every((row) => row.doc.versions.indexOf(70) < row.doc.versions.indexOf(71))).toBe(true);
  });

  it('passes over the events it does not react to: checkpoints move, the inbox and the handler never see them', async () => {
    const ownTopic = uniqueName('test.pass-over');
    await broker.ensureTopics([ownTopic]);
    const handed: string[] = [];
    const consumer = new ConsumerRunner({
      dataSource,
      broker,
      groupId: uniqueName('pass-over'),
      topics: [ownTopic],
      reactsTo: (event) => event.type === 'PrisonerReleased',
      async handle(_tx, events) {
        handed.push(...events.map((event) => event.eventId));
      },
    });
    const inboxCount = async () =>
      Number(
        ((await dataSource.query(`SELECT count(*) AS n FROM inbox WHERE group_id = $1`, [consumer.groupId])) as Array<{ n: string }>)[0]!.n,
      );
    const caughtUp = async () => (await consumer.lag()).every((partition) => partition.lag === '0' && partition.offset !== '-1');
    const lost = (version: number) =>
      releaseEvents(STREAMS, [version]).map((event) => ({
        ...event,
        type: 'ContactLost',
        eventId: event.eventId.replace(/^0190a000/, '0190b000'),
      }));
    await consumer.start();
    try {
      // Nothing for it on any partition: only the checkpoints move.
      await publisher.publish(ownTopic, toMessages(lost(1)));
      await eventually(caughtUp, (done) => done, { timeoutMs: 30_000, what: 'the checkpoints past events it passes over' });
      expect(consumer.passedOver).toBe(STREAMS);
      expect(handed).toEqual([]);
      expect(await inboxCount()).toBe(0);

      // Mixed: what it reacts to is applied once and kept in the inbox, the rest is not.
      const released = releaseEvents(STREAMS, [2]);
      await publisher.publish(ownTopic, toMessages([...lost(3), ...released, ...lost(4)]));
      await eventually(
        async () => handed.length,
        (n) => n === STREAMS,
        { timeoutMs: 30_000, what: 'the events it reacts to' },
      );
      await eventually(caughtUp, (done) => done, { timeoutMs: 30_000, what: 'the checkpoints past the mixed batch' });
      expect(new Set(handed)).toEqual(new Set(released.map((event) => event.eventId)));
      expect(await inboxCount()).toBe(STREAMS);
    } finally {
      await consumer.stop();
    }
  });
});
