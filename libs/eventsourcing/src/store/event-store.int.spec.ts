import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '@homeward/decider';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../database.js';
import { verifyChain } from '../hash-chain/hash-chain.js';
import { documentTableSql, findDocument, type DocumentProjection } from '../projections/document-projection.js';
import { context, releaseDecider } from '../testing/release-decider.js';
import { EventStore } from './event-store.js';
import { EventStoreSchema1764000000000 } from './event-store.migration.js';

class ReleaseCountsTable1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('release_counts'));
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE release_counts');
  }
}

const releaseCounts: DocumentProjection<{ releases: number; days: number[] }> = {
  name: 'release_counts',
  handles: ['PrisonerReleased'],
  idOf: (event) => event.subject,
  evolve: (doc, event) => ({
    releases: (doc?.releases ?? 0) + 1,
    days: [...(doc?.days ?? []), event.data.daysOfSentenceRemaining as number],
  }),
};

describe('EventStore against PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [EventStoreSchema1764000000000, ReleaseCountsTable1764000000001] });
    store = new EventStore(dataSource, {
      source: 'intake',
      topic: 'test.events',
      projections: [releaseCounts],
      upcasters: { PrisonerReleased: [(data) => ({ ...data, mechanism: data.mechanism ?? 'unknown' })] },
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(sql, params))[0].count);

  it('appends with versions, a verifiable hash chain, outbox rows and the inline read model in one go', async () => {
    const first = await store.handle(releaseDecider, { type: 'Release', personId: 'p-1', days: 120 }, { streamId: 'person-p-1', subject: 'p-1' }, context());
    const second = await store.handle(releaseDecider, { type: 'Release', personId: 'p-1', days: 90 }, { streamId: 'person-p-1', subject: 'p-1' }, context());
    expect([first.streamVersion, second.streamVersion]).toEqual([1, 2]);

    const events = await store.readStream('person-p-1', { raw: true });
    expect(events.map((event) => event.streamVersion)).toEqual([1, 2]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(verifyChain('person-p-1', events)).toMatchObject({ valid: true, eventsChecked: 2 });
    expect(await count(`SELECT count(*) FROM outbox o JOIN events e USING (event_id) WHERE e.stream_id = 'person-p-1'`)).toBe(2);
    expect(await findDocument(dataSource.manager, releaseCounts, 'p-1')).toEqual({ releases: 2, days: [120, 90] });
  });

  it('refuses a stale expected version with version-conflict and writes nothing', async () => {
    const before = await count('SELECT count(*) FROM events');
    const attempt = store.handle(releaseDecider, { type: 'Release', personId: 'p-1', days: 1 }, { streamId: 'person-p-1', subject: 'p-1' }, context({ expectedVersion: 1 }));
    await expect(attempt).rejects.toMatchObject({ kind: 'version-conflict' });
    expect(await count('SELECT count(*) FROM events')).toBe(before);
    const ok = await store.handle(releaseDecider, { type: 'Release', personId: 'p-1', days: 1 }, { streamId: 'person-p-1', subject: 'p-1' }, context({ expectedVersion: 2 }));
    expect(ok.streamVersion).toBe(3);
  });

  it('answers a repeated Idempotency-Key with the first result and no new events, and refuses it for another request', async () => {
    const target = { streamId: 'person-p-2', subject: 'p-2' };
    const first = await store.handle(releaseDecider, { type: 'Release', personId: 'p-2', days: 10 }, target, context({ idempotencyKey: 'key-1' }));
    const again = await store.handle(releaseDecider, { type: 'Release', personId: 'p-2', days: 10 }, target, context({ idempotencyKey: 'key-1' }));
    expect(again).toEqual({ ...first, repeatedRequest: true });
    expect(await count(`SELECT count(*) FROM events WHERE stream_id = 'person-p-2'`)).toBe(1);
    await expect(store.handle(releaseDecider, { type: 'Release', personId: 'p-2', days: 11 }, target, context({ idempotencyKey: 'key-1' }))).rejects.toMatchObject({
      kind: 'idempotency-key-reused',
    });
  });

  it('serialises concurrent requests with one Idempotency-Key into one append', async () => {
    const target = { streamId: 'person-p-3', subject: 'p-3' };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.handle(releaseDecider, { type: 'Release', personId: 'p-3', days: 5 }, target, context({ idempotencyKey: 'key-race' }))),
    );
    expect(new Set(results.map((result) => result.eventIds[0])).size).toBe(1);
    expect(results.filter((result) => !result.repeatedRequest)).toHaveLength(1);
    expect(await count(`SELECT count(*) FROM events WHERE stream_id = 'person-p-3'`)).toBe(1);
  });

  it('rolls everything back when the decider refuses', async () => {
    const before = await count('SELECT count(*) FROM events');
    await expect(store.handle(releaseDecider, { type: 'Refuse' }, { streamId: 'person-p-4', subject: 'p-4' }, context({ idempotencyKey: 'key-refused' }))).rejects.toBeInstanceOf(DomainError);
    expect(await count('SELECT count(*) FROM events')).toBe(before);
    expect(await count(`SELECT count(*) FROM streams WHERE stream_id = 'person-p-4'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM idempotency_keys WHERE key = 'key-refused'`)).toBe(0);
  });

  it('keeps concurrent writers of one stream gap-free and chained', async () => {
    const target = { streamId: 'person-p-5', subject: 'p-5' };
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.handle(releaseDecider, { type: 'Release', personId: 'p-5', days: i }, target, context())));
    const events = await store.readStream('person-p-5', { raw: true });
    expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyChain('person-p-5', events).valid).toBe(true);
  });

  it('upcasts old schema versions on read and leaves the stored row as written', async () => {
    const target = { streamId: 'person-p-6', subject: 'p-6' };
    await store.handle(releaseDecider, { type: 'Release', personId: 'p-6', days: 3 }, target, context());
    // Rewrite the stored row into a hypothetical schema v1 without `mechanism`.
    await dataSource.query(`UPDATE events SET schema_version = 1, data = data - 'mechanism' WHERE stream_id = 'person-p-6'`);
    const [event] = await store.readStream('person-p-6');
    expect(event).toMatchObject({ schemaVersion: 2, data: { mechanism: 'unknown' } });
    const [raw] = await store.readStream('person-p-6', { raw: true });
    expect(raw!.schemaVersion).toBe(1);
    expect(raw!.data).not.toHaveProperty('mechanism');
  });
});
