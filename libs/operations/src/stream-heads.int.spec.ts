// The store's side of a reconciliation against PostgreSQL: every stream summed from its events,
// paged in byte order whatever the database's collation, one stream's events paged in version
// order, and both read through an index.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, uniqueName, type TestDatabase } from '@homeward/testing';
import type { DataSource } from 'typeorm';
import { EventStore, eventStoreMigrations, openDatabase } from '@homeward/eventsourcing';
import { context, releaseDecider } from '@homeward/eventsourcing/testing';
import { operationsMigrations } from './migrations.js';
import { ServiceOperations } from './operations.js';
import { streamDigest, streamEvents, streamHeads, streamHeadsSql, type StreamHead } from './stream-heads.js';

// Byte order puts upper case before lower case and "person-b" before "persona"; a linguistic
// collation (en_US) would not.
const streamIds = [
  'persona',
  'person-b',
  'Person-C',
  'person-a',
  'case-1',
  'case-10',
  'case-2',
  ...Array.from({ length: 13 }, (_, i) => `person-x${i}`),
];

describe('stream heads and events for a reconciliation', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [...eventStoreMigrations, ...operationsMigrations] });
    store = new EventStore(dataSource, { source: 'intake', topic: uniqueName('test.heads'), projections: [] });
    for (const [index, streamId] of streamIds.entries()) {
      for (let n = 0; n <= index % 4; n += 1)
        await store.handle(releaseDecider, { type: 'Release', personId: streamId, days: n }, { streamId, subject: streamId }, context());
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const eventsOf = (streamId: string) =>
    dataSource.query(
      `SELECT stream_version AS version, event_id::text AS "eventId", hash FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    ) as Promise<Array<{ version: number; eventId: string; hash: string }>>;

  const allHeads = async (limit: number) => {
    const heads: StreamHead[] = [];
    let after = '';
    let pages = 0;
    do {
      const page = await streamHeads(dataSource, after, limit);
      heads.push(...page.items);
      after = page.nextCursor;
      pages += 1;
    } while (after !== '');
    return { heads, pages };
  };

  it('pages every stream in byte order, each summed from its events', async () => {
    const { heads, pages } = await allHeads(6);
    expect(pages).toBe(4);
    const byteOrder = [...streamIds].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(heads.map((head) => head.streamId)).toEqual(byteOrder);
    for (const head of heads) {
      const events = await eventsOf(head.streamId);
      expect(head).toEqual({
        streamId: head.streamId,
        version: events.length,
        hash: events.at(-1)!.hash,
        events: events.length,
        digest: streamDigest(events),
      });
    }
  });

  it('sums the events as they are, not the stream row: an edited hash changes the digest, a deleted event the count', async () => {
    const [before] = (await streamHeads(dataSource, 'person-x7', 1)).items;
    expect(before).toMatchObject({ streamId: 'person-x8', version: 4, events: 4 });
    await dataSource.query(`UPDATE events SET hash = repeat('0', 64) WHERE stream_id = 'person-x8' AND stream_version = 2`);
    const [edited] = (await streamHeads(dataSource, 'person-x7', 1)).items;
    expect(edited).toMatchObject({ version: 4, hash: before!.hash, events: 4 });
    expect(edited!.digest).not.toBe(before!.digest);
    expect(edited!.digest).toBe(streamDigest(await eventsOf('person-x8')));

    await dataSource.query(`DELETE FROM events WHERE stream_id = 'person-x12' AND stream_version = 1`);
    expect((await streamHeads(dataSource, 'person-x11', 1)).items).toEqual([
      expect.objectContaining({ streamId: 'person-x12', version: 4, events: 3 }),
    ]);
  });

  it("pages one stream's events in version order, with the time each was recorded", async () => {
    const first = await streamEvents(dataSource, 'person-x4', '', 3);
    expect(first.items.map((event) => event.version)).toEqual([1, 2, 3]);
    expect(first.nextCursor).toBe('3');
    const second = await streamEvents(dataSource, 'person-x4', first.nextCursor, 3);
    expect(second).toEqual({ items: [expect.objectContaining({ version: 4 })], nextCursor: '' });
    const stored = await eventsOf('person-x4');
    expect([...first.items, ...second.items].map(({ version, eventId, hash }) => ({ version, eventId, hash }))).toEqual(stored);
    expect(Date.parse(first.items[0]!.recordedAt)).toBeGreaterThan(Date.parse('2025-01-01'));
    await expect(streamEvents(dataSource, 'person-x4', 'x', 3)).rejects.toMatchObject({ code: 'cursor.invalid' });
    await expect(streamEvents(dataSource, 'nobody', '', 3)).resolves.toEqual({ items: [], nextCursor: '' });
  });

  it('reads a page through the byte-order index of streams and the version index of events, never a sort of all streams', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const [{ 'QUERY PLAN': plan }] = (await runner.query(`EXPLAIN (FORMAT JSON) ${streamHeadsSql}`, ['person-a', 5])) as Array<{
        'QUERY PLAN': unknown;
      }>;
      const text = JSON.stringify(plan);
      expect(text).toContain('streams_stream_id_bytes_idx');
      expect(text).toContain('events_stream_id_stream_version_key');
      expect(text).not.toContain('"Node Type":"Sort"');
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  it('is served by the operations of a service with a store, refused without one', async () => {
    const operations = new ServiceOperations({ service: 'intake', dataSource, store, consumers: [] });
    expect((await operations.streamHeads('', 2)).items.map((head) => head.streamId)).toEqual(['Person-C', 'case-1']);
    const storeless = new ServiceOperations({ service: 'audit', dataSource, store: null, consumers: [] });
    await expect(storeless.streamHeads('', 2)).rejects.toMatchObject({ code: 'stream.no-event-store' });
  });
});
