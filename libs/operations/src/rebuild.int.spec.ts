// A rebuild with two database roles against the real PostgreSQL: the owner rebuilds a read model
// and swaps the new table in, and the runtime role keeps writing it and still can alter nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectDatabase, documentTableSql, EventStore, eventStoreMigrations, openDatabase } from '@homeward/eventsourcing';
import { context, releaseCounts, releaseDecider } from '@homeward/eventsourcing/testing';
import { createTestDatabase, uniqueName, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { operationsMigrations } from './migrations.js';
import { rebuildInlineProjection } from './rebuild.js';

class Tables1764000000001 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('release_counts'));
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE release_counts');
  }
}

describe('a rebuild in a service database with an owner and a runtime role', () => {
  let database: TestDatabase;
  let runtime: DataSource;
  let owner: DataSource;
  let store: EventStore;
  const release = (person: number) =>
    store.handle(
      releaseDecider,
      { type: 'Release', personId: `p-${person}`, days: 1 },
      { streamId: `person-p-${person}`, subject: `p-${person}` },
      context(),
    );
  const refused = { code: '42501' };

  beforeAll(async () => {
    database = await createTestDatabase();
    const migrations = [...eventStoreMigrations, ...operationsMigrations, Tables1764000000001];
    runtime = await openDatabase({ url: database.runtimeUrl, migrationUrl: database.url, migrations, poolSize: 4 });
    owner = await connectDatabase({ url: database.url, poolSize: 2 });
    store = new EventStore(runtime, { source: 'intake', topic: uniqueName('test.roles'), projections: [releaseCounts] });
    for (let i = 0; i < 20; i += 1) await release(i % 5);
  });

  afterAll(async () => {
    await owner?.destroy();
    await runtime?.destroy();
    await database?.drop();
  });

  it('rebuilds a read model as the owner, and the runtime role keeps writing the table swapped in', async () => {
    const before = await runtime.query(`SELECT id, doc FROM release_counts ORDER BY id`);
    await rebuildInlineProjection({ dataSource: owner, projection: releaseCounts, pageSize: 7 });
    expect(await runtime.query(`SELECT id, doc FROM release_counts ORDER BY id`)).toEqual(before);
    await release(0);
    expect((await runtime.query(`SELECT doc FROM release_counts WHERE id = 'p-0'`))[0].doc).toEqual({ releases: 5 });
    await expect(runtime.query(`ALTER TABLE release_counts ADD COLUMN intruder int`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`TRUNCATE release_counts`)).rejects.toMatchObject(refused);
  });
});
