// handleIn: the same append as handle, inside a transaction the caller owns, so that events commit
// or roll back together with the caller's own writes (a consumer's read model and checkpoint).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '@homeward/decider';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../database.js';
import { verifyChain } from '../hash-chain/hash-chain.js';
import { documentTableSql, findDocument, type DocumentProjection } from '../projections/document-projection.js';
import { context, releaseDecider } from '../testing/release-decider.js';
import { EventStore } from './event-store.js';
import { outboxEventsJoin } from './schema/read-outbox-batch.js';
import { eventStoreMigrations } from './event-store.migration.js';

class CallerTables1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('release_counts'));
    await runner.query(`CREATE TABLE caller_writes (note text PRIMARY KEY)`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE release_counts');
    await runner.query('DROP TABLE caller_writes');
  }
}

const releaseCounts: DocumentProjection<{ releases: number }> = {
  name: 'release_counts',
  handles: ['PrisonerReleased'],
  idOf: (event) => event.subject,
  evolve: (doc) => ({ releases: (doc?.releases ?? 0) + 1 }),
};

class CallerFailed extends Error {}

describe('EventStore.handleIn against PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [...eventStoreMigrations, CallerTables1764000000001] });
    store = new EventStore(dataSource, { source: 'intake', topic: 'test.events', projections: [releaseCounts] });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(sql, params))[0].count);
  const release = (personId: string) => ({ type: 'Release' as const, personId, days: 30 });

  it('commits the events with the caller’s own writes: outbox, inline read model, chained versions', async () => {
    const target = { streamId: 'person-h-1', subject: 'h-1' };
    const results = await dataSource.transaction(async (tx) => {
      await tx.query(`INSERT INTO caller_writes (note) VALUES ('checkpoint moved')`);
      const first = await store.handleIn(tx, releaseDecider, release('h-1'), target, context());
      const second = await store.handleIn(tx, releaseDecider, release('h-1'), target, context());
      return [first, second];
    });
    expect(results.map((result) => result.streamVersion)).toEqual([1, 2]);
    expect(results[0]).toMatchObject({ id: 'h-1', streamId: 'person-h-1', repeatedRequest: false, eventIds: [expect.any(String)] });
    const events = await store.readStream('person-h-1', { raw: true });
    expect(verifyChain('person-h-1', events)).toMatchObject({ valid: true, eventsChecked: 2 });
    expect(await count(`SELECT count(*) FROM outbox o ${outboxEventsJoin} WHERE e.stream_id = 'person-h-1'`)).toBe(2);
    expect(await findDocument(dataSource.manager, releaseCounts, 'h-1')).toEqual({ releases: 2 });
    expect(await count(`SELECT count(*) FROM caller_writes`)).toBe(1);
  });

  it('rolls the events back when the caller fails after appending', async () => {
    const target = { streamId: 'person-h-2', subject: 'h-2' };
    const attempt = dataSource.transaction(async (tx) => {
      await tx.query(`INSERT INTO caller_writes (note) VALUES ('never committed')`);
      await store.handleIn(tx, releaseDecider, release('h-2'), target, context({ idempotencyKey: 'key-h-2' }));
      throw new CallerFailed('the caller gives up');
    });
    await expect(attempt).rejects.toBeInstanceOf(CallerFailed);
    expect(await count(`SELECT count(*) FROM events WHERE stream_id = 'person-h-2'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM streams WHERE stream_id = 'person-h-2'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM outbox`)).toBe(2);
    expect(await count(`SELECT count(*) FROM idempotency_keys WHERE key = 'key-h-2'`)).toBe(0);
    expect(await findDocument(dataSource.manager, releaseCounts, 'h-2')).toBeNull();
    expect(await count(`SELECT count(*) FROM caller_writes WHERE note = 'never committed'`)).toBe(0);
  });

  it('lets the decider’s refusal reach the caller, whose writes then roll back too', async () => {
    const attempt = dataSource.transaction(async (tx) => {
      await tx.query(`INSERT INTO caller_writes (note) VALUES ('refused')`);
      await store.handleIn(tx, releaseDecider, { type: 'Refuse' }, { streamId: 'person-h-3', subject: 'h-3' }, context());
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    expect(await count(`SELECT count(*) FROM caller_writes WHERE note = 'refused'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM streams WHERE stream_id = 'person-h-3'`)).toBe(0);
  });

  it('answers a repeated Idempotency-Key inside a transaction with the first result and no new events', async () => {
    const target = { streamId: 'person-h-4', subject: 'h-4' };
    const first = await dataSource.transaction((tx) =>
      store.handleIn(tx, releaseDecider, release('h-4'), target, context({ idempotencyKey: 'key-h-4' })),
    );
    const again = await dataSource.transaction((tx) =>
      store.handleIn(tx, releaseDecider, release('h-4'), target, context({ idempotencyKey: 'key-h-4' })),
    );
    expect(again).toEqual({ ...first, repeatedRequest: true });
    expect(await count(`SELECT count(*) FROM events WHERE stream_id = 'person-h-4'`)).toBe(1);
  });
});
