import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, type DataSource } from 'typeorm';
import { openDatabase } from './database.js';
import { prepared, runPrepared } from './prepared.js';

describe('prepared statements against PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const readDoc = prepared('test_read_doc', `SELECT doc FROM prepared_docs WHERE id = $1`);
  const insertDoc = prepared('test_insert_doc', `INSERT INTO prepared_docs (id, doc) VALUES ($1, $2) RETURNING id`);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: [], poolSize: 1 });
    await dataSource.query(`CREATE TABLE prepared_docs (id text PRIMARY KEY, doc jsonb NOT NULL)`);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it("runs in the caller's transaction: what it wrote rolls back with it", async () => {
    await expect(
      dataSource.transaction(async (tx) => {
        expect(await runPrepared(tx, insertDoc, ['rolled-back', '{"n":1}'])).toEqual([{ id: 'rolled-back' }]);
        expect(await runPrepared(tx, readDoc, ['rolled-back'])).toEqual([{ doc: { n: 1 } }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await runPrepared(dataSource, readDoc, ['rolled-back'])).toEqual([]);
  });

  it("never runs a transaction's statement elsewhere once its connection is gone", async () => {
    const failure = await dataSource
      .transaction(async (tx) => {
        const [{ pid }] = (await tx.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>;
        // The backend dies between two statements; TypeORM then releases the transaction's runner.
        const admin = await openDatabase({ url: database.url, migrations: [], poolSize: 1 });
        await admin.query(`SELECT pg_terminate_backend($1)`, [pid]);
        await admin.destroy();
        for (let waited = 0; !tx.queryRunner!.isReleased && waited < 5_000; waited += 20)
          await new Promise((resolve) => setTimeout(resolve, 20));
        expect(tx.queryRunner!.isReleased).toBe(true);
        await runPrepared(tx, insertDoc, ['orphan', '{}']);
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryRunnerAlreadyReleasedError);
    expect(await runPrepared(dataSource, readDoc, ['orphan'])).toEqual([]);
  });

  it("fails as TypeORM does, with the driver's code, and the connection stays usable", async () => {
    await runPrepared(dataSource.manager, insertDoc, ['twice', '{}']);
    const failure = await runPrepared(dataSource, insertDoc, ['twice', '{}']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as { code?: string }).code).toBe('23505');
    expect(await runPrepared(dataSource, readDoc, ['twice'])).toEqual([{ doc: {} }]);
  });

  it('follows a table swapped in under the same name (as a rebuild does) on a connection that prepared it', async () => {
    await runPrepared(dataSource, insertDoc, ['old', '{"table":"old"}']);
    expect(await runPrepared(dataSource, readDoc, ['old'])).toEqual([{ doc: { table: 'old' } }]);
    await dataSource.transaction(async (tx) => {
      await tx.query(`CREATE TABLE prepared_docs_shadow (id text PRIMARY KEY, doc jsonb NOT NULL)`);
      await tx.query(`INSERT INTO prepared_docs_shadow VALUES ('old', '{"table":"new"}')`);
      await tx.query(`ALTER TABLE prepared_docs RENAME TO prepared_docs_retired`);
      await tx.query(`ALTER TABLE prepared_docs_shadow RENAME TO prepared_docs`);
    });
    // One connection in the pool: the same one that prepared the statement above.
    expect(await runPrepared(dataSource, readDoc, ['old'])).toEqual([{ doc: { table: 'new' } }]);
  });

  it('refuses one name for two statements', () => {
    expect(() => prepared('test_read_doc', `SELECT 1`)).toThrow(/declared twice/);
    expect(prepared('test_read_doc', `SELECT doc FROM prepared_docs WHERE id = $1`)).toEqual(readDoc);
  });
});
