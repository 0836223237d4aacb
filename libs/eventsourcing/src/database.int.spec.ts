// Two database roles against the real PostgreSQL: the owner migrates and grants, the runtime role
// appends, projects, relays and checkpoints but can alter nothing; append-only tables take
// reads and inserts only; a table a later migration creates is the runtime's to write (a rebuild's:
// libs/operations, rebuild.int.spec.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, uniqueName, type TestDatabase } from '@homeward/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { alterableBy, connectDatabase, openDatabase, type AppendOnlyTables } from './database.js';
import { documentTableSql } from './projections/document-projection.js';
import { EventStore } from './store/event-store.js';
import { eventStoreMigrations } from './store/event-store.migration.js';
import { context, releaseCounts, releaseDecider } from './testing/release-decider.js';

class Tables1764000000001 implements MigrationInterface, AppendOnlyTables {
  readonly appendOnly = ['evidence'];
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('release_counts'));
    await runner.query(`CREATE TABLE evidence (id bigserial PRIMARY KEY, note text NOT NULL)`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE evidence');
    await runner.query('DROP TABLE release_counts');
  }
}

class LaterTable1764000000002 implements MigrationInterface {
  async up(runner: QueryRunner) {
    await runner.query(`CREATE TABLE later_notes (id bigserial PRIMARY KEY, note text NOT NULL)`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE later_notes');
  }
}

describe('a service database with an owner and a runtime role', () => {
  let database: TestDatabase;
  let runtime: DataSource;
  let owner: DataSource;
  let store: EventStore;
  const migrations = [...eventStoreMigrations, Tables1764000000001];
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
    runtime = await openDatabase({ url: database.runtimeUrl, migrationUrl: database.url, migrations, poolSize: 4 });
    owner = await connectDatabase({ url: database.url, poolSize: 2 });
    store = new EventStore(runtime, { source: 'intake', topic: uniqueName('test.roles'), projections: [releaseCounts] });
    for (let i = 0; i < 20; i += 1) await release(i % 5);
  });

  afterAll(async () => {
    await runtime?.destroy();
    await owner?.destroy();
    await database?.drop();
  });

  it('runs as a role that owns nothing, beside the owner that migrated', async () => {
    expect(await alterableBy(runtime)).toBeNull();
    expect(await alterableBy(owner)).toMatch(/_owner owns /);
    const [{ role }] = await runtime.query(`SELECT current_user AS role`);
    expect(role).toBe(database.roles.runtime);
  });

  it('appends, projects and works its queues as the runtime role', async () => {
    expect(await runtime.query(`SELECT id, doc FROM release_counts ORDER BY id`)).toHaveLength(5);
    expect(Number((await runtime.query(`SELECT count(*) AS n FROM events`))[0].n)).toBe(20);
    // What the relay, the consumers and the operator surface do to their rows.
    expect(
      Number((await runtime.query(`WITH gone AS (DELETE FROM outbox RETURNING 1) SELECT count(*) AS n FROM gone`))[0].n),
    ).toBeGreaterThan(0);
    await runtime.query(`INSERT INTO checkpoints (group_id, topic, partition, "offset") VALUES ('g', 't', 0, 1)`);
    await runtime.query(`UPDATE checkpoints SET "offset" = 2 WHERE group_id = 'g'`);
    await runtime.query(`INSERT INTO evidence (note) VALUES ('kept')`);
    expect(await runtime.query(`SELECT note FROM evidence`)).toEqual([{ note: 'kept' }]);
  });

  it('refuses the runtime role every change of the schema, with a permission error', async () => {
    for (const statement of [
      `CREATE TABLE intruder (id int)`,
      `CREATE TEMP TABLE intruder (id int)`,
      `ALTER TABLE release_counts ADD COLUMN intruder int`,
      `ALTER TABLE events DISABLE TRIGGER ALL`,
      `CREATE INDEX intruder_idx ON release_counts (updated_at)`,
      `DROP TABLE release_counts`,
      `TRUNCATE release_counts`,
      `CREATE TRIGGER intruder BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
    ]) {
      await expect(runtime.query(statement)).rejects.toMatchObject(refused);
    }
  });

  it('lets the runtime role only read and insert the event log and the tables declared append-only', async () => {
    await expect(runtime.query(`UPDATE events SET type = 'Forged'`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`DELETE FROM events`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`UPDATE evidence SET note = 'changed'`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`DELETE FROM evidence`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`INSERT INTO migrations (timestamp, name) VALUES (1, 'Forged1')`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`DELETE FROM migrations`)).rejects.toMatchObject(refused);
  });

  it('gives the runtime role the tables of a later migration, and grants again at every start', async () => {
    const again = await openDatabase({
      url: database.runtimeUrl,
      migrationUrl: database.url,
      migrations: [...migrations, LaterTable1764000000002],
      poolSize: 1,
    });
    try {
      await again.query(`INSERT INTO later_notes (note) VALUES ('new')`);
      expect(await again.query(`SELECT note FROM later_notes`)).toEqual([{ note: 'new' }]);
      await expect(again.query(`UPDATE evidence SET note = 'changed'`)).rejects.toMatchObject(refused);
      await expect(again.query(`ALTER TABLE later_notes ADD COLUMN intruder int`)).rejects.toMatchObject(refused);
    } finally {
      await again.destroy();
    }
  });

  it('refuses a migration URL that names another database', async () => {
    const elsewhere = new URL(database.url);
    elsewhere.pathname = '/postgres';
    await expect(openDatabase({ url: database.runtimeUrl, migrationUrl: elsewhere.toString(), migrations, poolSize: 1 })).rejects.toThrow(
      /names database postgres/,
    );
  });
});
