// The outbox moving from one row per event to one row per append, on a database that has events
// queued: nothing queued is lost on the way up or on the way back down.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../database.js';
import { EventStoreSchema1764000000000, EventsByTransaction1764000000060, OutboxByAppend1764000000070 } from './event-store.migration.js';

describe('OutboxByAppend1764000000070', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const eventIds = ['01939f6e-7c1a-7000-8000-000000000001', '01939f6e-7c1a-7000-8000-000000000002', '01939f6e-7c1a-7000-8000-000000000003'];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [EventStoreSchema1764000000000, EventsByTransaction1764000000060] });
    for (const [index, eventId] of eventIds.entries()) {
      await dataSource.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash, recorded_at)
         VALUES ($1, 'person-m-1', $2, 'PrisonerReleased', 1, '{}', '{}', '', '', now())`,
        [eventId, index + 1],
      );
    }
    // Version 1 was published already; 3 was queued before 2 (a replay, say).
    await dataSource.query(`INSERT INTO outbox (event_id, topic) VALUES ($1, 'replayed'), ($2, 'intake')`, [eventIds[2], eventIds[1]]);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const queued = () => dataSource.query(`SELECT stream_id, from_version, to_version, topic FROM outbox ORDER BY position`);

  it('turns each queued event into a one-version range, in queue order, and back', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await new OutboxByAppend1764000000070().up(runner);
      expect(await queued()).toEqual([
        { stream_id: 'person-m-1', from_version: 3, to_version: 3, topic: 'replayed' },
        { stream_id: 'person-m-1', from_version: 2, to_version: 2, topic: 'intake' },
      ]);
      await expect(
        dataSource.query(`INSERT INTO outbox (stream_id, from_version, to_version, topic) VALUES ('person-m-1', 3, 2, 'intake')`),
      ).rejects.toThrow(/outbox_versions_check/);

      await dataSource.query(`INSERT INTO outbox (stream_id, from_version, to_version, topic) VALUES ('person-m-1', 1, 3, 'intake')`);
      await new OutboxByAppend1764000000070().down(runner);
      const back: Array<{ event_id: string; topic: string }> = await dataSource.query(
        `SELECT event_id, topic FROM outbox ORDER BY position`,
      );
      expect(back).toEqual([
        { event_id: eventIds[2], topic: 'replayed' },
        { event_id: eventIds[1], topic: 'intake' },
        ...eventIds.map((eventId) => ({ event_id: eventId, topic: 'intake' })),
      ]);
    } finally {
      await runner.release();
    }
  });
});
