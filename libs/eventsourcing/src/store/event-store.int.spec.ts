import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError, type Decider } from '@homeward/decider';
import { createTestDatabase, eventually, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../database.js';
import { verifyChain } from '../hash-chain/hash-chain.js';
import { applyToDocuments, documentTableSql, findDocument, type DocumentProjection } from '../projections/document-projection.js';
import { context, releaseDecider } from '../testing/release-decider.js';
import { EventStore, UnpublishableEventError } from './event-store.js';
import { outboxEventsJoin } from './schema/read-outbox-batch.js';
import { eventStoreMigrations } from './event-store.migration.js';

class ReleaseCountsTable1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('release_counts'));
    await runner.query(documentTableSql('release_totals'));
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE release_totals');
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

/** One document that every stream's releases change. */
const releaseTotals: DocumentProjection<{ releases: number }> = {
  name: 'release_totals',
  handles: ['PrisonerReleased'],
  idOf: () => 'all',
  evolve: (doc) => ({ releases: (doc?.releases ?? 0) + 1 }),
};

describe('EventStore against PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [...eventStoreMigrations, ReleaseCountsTable1764000000001] });
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
    const first = await store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-1', days: 120 },
      { streamId: 'person-p-1', subject: 'p-1' },
      context(),
    );
    const second = await store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-1', days: 90 },
      { streamId: 'person-p-1', subject: 'p-1' },
      context(),
    );
    expect([first.streamVersion, second.streamVersion]).toEqual([1, 2]);

    const events = await store.readStream('person-p-1', { raw: true });
    expect(events.map((event) => event.streamVersion)).toEqual([1, 2]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(verifyChain('person-p-1', events)).toMatchObject({ valid: true, eventsChecked: 2 });
    expect(await count(`SELECT count(*) FROM outbox o ${outboxEventsJoin} WHERE e.stream_id = 'person-p-1'`)).toBe(2);
    expect(await findDocument(dataSource.manager, releaseCounts, 'p-1')).toEqual({ releases: 2, days: [120, 90] });
  });

  it('refuses events its contract cannot carry, naming no value, and writes nothing', async () => {
    // What the relay could not encode, or a consumer not decode, would stop the relay at it for good.
    const misfits: Decider<{ type: string; data: Record<string, unknown> }, { type: string; data: Record<string, unknown> }, object> = {
      initialState: () => ({}),
      evolve: (state) => state,
      decide: (command) => [{ type: command.type, data: command.data }],
    };
    const target = { streamId: 'person-misfit', subject: 'misfit' };
    const notANumber = store.handle(
      misfits,
      { type: 'PrisonerReleased', data: { personId: 'misfit', daysOfSentenceRemaining: 'Ales Invented' } },
      target,
      context(),
    );
    await expect(notANumber).rejects.toThrow(UnpublishableEventError);
    await expect(notANumber).rejects.toThrow('a PrisonerReleased event does not fit the intake contract');
    await expect(notANumber).rejects.not.toThrow(/Ales Invented/);
    const unknownType = store.handle(misfits, { type: 'PrisonerTeleported', data: { personId: 'misfit' } }, target, context());
    await expect(unknownType).rejects.toThrow('a PrisonerTeleported event does not fit the intake contract (UnknownEventError)');
    expect(await store.readStream('person-misfit')).toEqual([]);
    expect(await count(`SELECT count(*) FROM outbox WHERE stream_id = 'person-misfit'`)).toBe(0);
  });

  it('refuses a stale expected version with version-conflict and writes nothing', async () => {
    const before = await count('SELECT count(*) FROM events');
    const attempt = store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-1', days: 1 },
      { streamId: 'person-p-1', subject: 'p-1' },
      context({ expectedVersion: 1 }),
    );
    await expect(attempt).rejects.toMatchObject({ kind: 'version-conflict' });
    expect(await count('SELECT count(*) FROM events')).toBe(before);
    const ok = await store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-1', days: 1 },
      { streamId: 'person-p-1', subject: 'p-1' },
      context({ expectedVersion: 2 }),
    );
    expect(ok.streamVersion).toBe(3);
  });

  it('appends to a stream expected to be new without reading it, and refuses expectedVersion 0 for a stream that exists', async () => {
    const target = { streamId: 'person-p-7', subject: 'p-7' };
    const first = await store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-7', days: 7 },
      target,
      context({ expectedVersion: 0 }),
    );
    expect(first.streamVersion).toBe(1);
    const events = await store.readStream('person-p-7', { raw: true });
    expect(verifyChain('person-p-7', events)).toMatchObject({ valid: true, eventsChecked: 1 });
    expect(events[0]!.prevHash).toBe('');

    const before = await count('SELECT count(*) FROM events');
    const again = store.handle(releaseDecider, { type: 'Release', personId: 'p-7', days: 8 }, target, context({ expectedVersion: 0 }));
    await expect(again).rejects.toMatchObject({ kind: 'version-conflict', message: 'expected version 0, stream is at 1' });
    // The stream's state, not the decider's verdict on an empty stream, answers a stale create.
    const refused = store.handle(releaseDecider, { type: 'Refuse' }, target, context({ expectedVersion: 0 }));
    await expect(refused).rejects.toMatchObject({ kind: 'version-conflict' });
    expect(await count('SELECT count(*) FROM events')).toBe(before);
    expect(await count(`SELECT count(*) FROM outbox o ${outboxEventsJoin} WHERE e.stream_id = 'person-p-7'`)).toBe(1);
  });

  it('makes a writer that lost the race for the head read again and append after the winner, or refuse if it named a version', async () => {
    const target = { streamId: 'person-p-8', subject: 'p-8' };
    await store.handle(releaseDecider, { type: 'Release', personId: 'p-8', days: 1 }, target, context());
    let commitWinner!: () => void;
    const winnerHolds = new Promise<void>((resolve) => (commitWinner = resolve));
    let winnerAppended!: () => void;
    const appendedByWinner = new Promise<void>((resolve) => (winnerAppended = resolve));
    const winner = dataSource.transaction(async (tx) => {
      const result = await store.handleIn(tx, releaseDecider, { type: 'Release', personId: 'p-8', days: 2 }, target, context());
      winnerAppended();
      await winnerHolds;
      return result;
    });
    await appendedByWinner;
    // Both read version 1 (the winner's append is not committed) and then wait for its head row.
    const retrying = store.handle(releaseDecider, { type: 'Release', personId: 'p-8', days: 3 }, target, context());
    const pinned = store.handle(releaseDecider, { type: 'Release', personId: 'p-8', days: 4 }, target, context({ expectedVersion: 1 }));
    const waiting = async () =>
      count(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    for (let tries = 0; (await waiting()) < 2; tries += 1) {
      if (tries > 200) throw new Error('the two writers never waited for the winner’s head row');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    commitWinner();
    expect((await winner).streamVersion).toBe(2);
    // At 2, or at 3 if the retrying writer took the head row first.
    await expect(pinned).rejects.toMatchObject({
      kind: 'version-conflict',
      message: expect.stringMatching(/^expected version 1, stream is at [23]$/),
    });
    expect((await retrying).streamVersion).toBe(3);
    const events = await store.readStream('person-p-8', { raw: true });
    expect(events.map((event) => event.data.daysOfSentenceRemaining)).toEqual([1, 2, 3]);
    expect(verifyChain('person-p-8', events)).toMatchObject({ valid: true, eventsChecked: 3 });
  });

  it('answers a repeated Idempotency-Key with the first result and no new events, and refuses it for another request', async () => {
    const target = { streamId: 'person-p-2', subject: 'p-2' };
    const first = await store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-2', days: 10 },
      target,
      context({ idempotencyKey: 'key-1' }),
    );
    const again = await store.handle(
      releaseDecider,
      { type: 'Release', personId: 'p-2', days: 10 },
      target,
      context({ idempotencyKey: 'key-1' }),
    );
    expect(again).toEqual({ ...first, repeatedRequest: true });
    expect(await count(`SELECT count(*) FROM events WHERE stream_id = 'person-p-2'`)).toBe(1);
    await expect(
      store.handle(releaseDecider, { type: 'Release', personId: 'p-2', days: 11 }, target, context({ idempotencyKey: 'key-1' })),
    ).rejects.toMatchObject({
      kind: 'idempotency-key-reused',
    });
  });

  it('serialises concurrent requests with one Idempotency-Key into one append', async () => {
    const target = { streamId: 'person-p-3', subject: 'p-3' };
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        store.handle(releaseDecider, { type: 'Release', personId: 'p-3', days: 5 }, target, context({ idempotencyKey: 'key-race' })),
      ),
    );
    expect(new Set(results.map((result) => result.eventIds[0])).size).toBe(1);
    expect(results.filter((result) => !result.repeatedRequest)).toHaveLength(1);
    expect(await count(`SELECT count(*) FROM events WHERE stream_id = 'person-p-3'`)).toBe(1);
  });

  it('rolls everything back when the decider refuses', async () => {
    const before = await count('SELECT count(*) FROM events');
    await expect(
      store.handle(
        releaseDecider,
        { type: 'Refuse' },
        { streamId: 'person-p-4', subject: 'p-4' },
        context({ idempotencyKey: 'key-refused' }),
      ),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await count('SELECT count(*) FROM events')).toBe(before);
    expect(await count(`SELECT count(*) FROM streams WHERE stream_id = 'person-p-4'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM idempotency_keys WHERE key = 'key-refused'`)).toBe(0);
  });

  it('keeps concurrent writers of one stream gap-free and chained', async () => {
    const target = { streamId: 'person-p-5', subject: 'p-5' };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.handle(releaseDecider, { type: 'Release', personId: 'p-5', days: i }, target, context())),
    );
    const events = await store.readStream('person-p-5', { raw: true });
    expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyChain('person-p-5', events).valid).toBe(true);
  });

  it('loses no update of a document that concurrent appends to different streams all change (the append locks it)', async () => {
    const totals = new EventStore(dataSource, { source: 'intake', topic: 'test.events', projections: [releaseCounts, releaseTotals] });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        totals.handle(
          releaseDecider,
          { type: 'Release', personId: `t-${i}`, days: i },
          { streamId: `person-t-${i}`, subject: `t-${i}` },
          context(),
        ),
      ),
    );
    expect(await findDocument(dataSource.manager, releaseTotals, 'all')).toEqual({ releases: 20 });
    expect(await findDocument(dataSource.manager, releaseCounts, 't-7')).toEqual({ releases: 1, days: [7] });
  });

  it('applies events that end a document to the one another transaction created meanwhile, not to the nothing they found', async () => {
    // Released with days left counts; released with none ends the document.
    const tally: DocumentProjection<{ releases: number }> = {
      name: 'release_totals',
      handles: ['PrisonerReleased'],
      idOf: () => 'tally',
      evolve: (doc, event) => (event.data.daysOfSentenceRemaining === 0 ? null : { releases: (doc?.releases ?? 0) + 1 }),
    };
    const released = (days: number) => ({
      eventId: `00000000-0000-7000-8000-00000000000${days}`,
      streamId: 'person-tally',
      streamVersion: 1,
      type: 'PrisonerReleased',
      schemaVersion: 2,
      data: { daysOfSentenceRemaining: days },
      ...context(),
      recordedAt: '2025-09-11T10:00:00.000Z',
      subject: 'tally',
      source: 'intake',
      prevHash: '',
      hash: '',
    });
    const creator = dataSource.createQueryRunner();
    await creator.connect();
    await creator.startTransaction();
    await applyToDocuments(creator.manager, tally, [released(5)]);
    // The creator has not committed: the other transaction finds no document, and its event ends it.
    const ending = dataSource.transaction((tx) => applyToDocuments(tx, tally, [released(0)]));
    await eventually(
      async () => Number((await dataSource.query(`SELECT count(*) FROM pg_locks WHERE NOT granted`))[0].count),
      (waiting) => waiting > 0,
      { timeoutMs: 5_000, what: 'the ending transaction to wait for the document being created' },
    );
    await creator.commitTransaction();
    await creator.release();
    await ending;
    expect(await findDocument(dataSource.manager, tally, 'tally')).toBeNull();
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
