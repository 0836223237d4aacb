// The statements every command and every consumed batch runs, as named prepared statements: a
// connection parses and plans each once instead of on every call. Planning the append's
// data-modifying CTE cost more than running it (about 0.4 ms of 0.7 ms on the bench machine).
// Postgres re-plans a prepared statement itself when a table it reads changes, a rebuild's rename
// included. TypeORM has no way to name a statement, so this runs it on the connection TypeORM
// holds for the transaction, and fails the way TypeORM's own query does (QueryFailedError).
import type pg from 'pg';
import { DataSource, QueryFailedError, QueryRunnerAlreadyReleasedError, type EntityManager, type QueryRunner } from 'typeorm';

export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const names = new Map<string, string>();

/** A statement to run by name; one name per text, so a name never means two statements. */
export function prepared(name: string, text: string): PreparedStatement {
  const known = names.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement ${name} is declared twice with different text`);
  names.set(name, text);
  return { name: `homeward_${name}`, text };
}

/**
 * Runs a prepared statement in `db`'s transaction (an EntityManager of `dataSource.transaction`),
 * or on a connection borrowed for it (a DataSource, or the manager that has no transaction), and
 * answers its rows. A transaction's statement never moves to another connection: when the
 * transaction's connection is gone (a dropped backend releases it), this fails as TypeORM does,
 * instead of committing the statement on its own elsewhere.
 */
export async function runPrepared<Row>(
  db: EntityManager | DataSource,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<Row[]> {
  const runner = db instanceof DataSource ? undefined : db.queryRunner;
  if (runner) {
    if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    return execute<Row>(runner, statement, values);
  }
  const borrowed = (db instanceof DataSource ? db : db.dataSource).createQueryRunner();
  try {
    return await execute<Row>(borrowed, statement, values);
  } finally {
    await borrowed.release();
  }
}

async function execute<Row>(runner: QueryRunner, statement: PreparedStatement, values: readonly unknown[]): Promise<Row[]> {
  const client = (await runner.connect()) as pg.PoolClient;
  try {
    const result = await client.query<Row & pg.QueryResultRow>({ name: statement.name, text: statement.text, values: [...values] });
    return result.rows;
  } catch (error) {
    throw new QueryFailedError(statement.text, [...values], error as Error);
  }
}
