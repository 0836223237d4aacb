// A service's TypeORM DataSource: its own database, migrations only (never synchronize), and a
// pool sized for a small machine.
//
// Least privilege: the schema OWNER (migrationUrl, DATABASE_MIGRATION_URL) runs the migrations and
// then grants the RUNTIME role (url, DATABASE_URL) what a service does with rows: read and write
// them, never alter, truncate or trigger. Tables a migration declares append-only, and the event
// log, take reads and inserts only. Without a migration URL one role does both (development).
import { DataSource, type MigrationInterface } from 'typeorm';

export interface DatabaseOptions {
  /** The runtime role's connection. */
  url: string;
  /** The schema owner's connection, which runs the migrations; default: url (one role). */
  migrationUrl?: string;
  migrations: Array<new () => MigrationInterface>;
  poolSize?: number;
  applicationName?: string;
}

/**
 * A migration that creates evidence says so: the runtime role may read and insert rows of these
 * tables, never update or delete them (and no role but the owner may drop their triggers).
 */
export interface AppendOnlyTables {
  readonly appendOnly: readonly string[];
}

/** The event log is append-only for every service: erasure destroys keys, never events. */
const eventLog = ['events'];

function dataSourceFor(url: string, options: Partial<Pick<DatabaseOptions, 'migrations' | 'poolSize' | 'applicationName'>>): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    poolSize: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 8),
    applicationName: options.applicationName,
    extra: { connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 },
  });
}

/** A pool and nothing else: no migrations, no grants (the owner's, for operator jobs). */
export async function connectDatabase(options: Pick<DatabaseOptions, 'url' | 'poolSize' | 'applicationName'>): Promise<DataSource> {
  const dataSource = dataSourceFor(options.url, options);
  await dataSource.initialize();
  return dataSource;
}

export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = dataSourceFor(options.url, options);
  await dataSource.initialize();
  try {
    if (!options.migrationUrl || options.migrationUrl === options.url) {
      await dataSource.runMigrations({ transaction: 'each' });
    } else {
      await migrateAsOwner(dataSource, options.migrationUrl, options);
      // The runtime may read the record of migrations, not write it: nothing is left to run.
      if (await dataSource.showMigrations()) throw new Error('migrations are still pending after the owner ran them');
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function migrateAsOwner(runtime: DataSource, migrationUrl: string, options: DatabaseOptions): Promise<void> {
  const identity = `SELECT current_user AS role, current_database() AS database`;
  const [runtimeRole]: Array<{ role: string; database: string }> = await runtime.query(identity);
  const owner = dataSourceFor(migrationUrl, {
    migrations: options.migrations,
    poolSize: 1,
    applicationName: options.applicationName && `${options.applicationName}-migrations`,
  });
  await owner.initialize();
  try {
    const [ownerRole]: Array<{ role: string; database: string }> = await owner.query(identity);
    // Two URLs naming two databases would migrate the wrong one.
    if (ownerRole!.database !== runtimeRole!.database) {
      throw new Error(`the migration URL names database ${ownerRole!.database}, the runtime URL ${runtimeRole!.database}`);
    }
    await owner.runMigrations({ transaction: 'each' });
    if (ownerRole!.role !== runtimeRole!.role) await grantRuntimeRole(owner, runtimeRole!.role);
  } finally {
    await owner.destroy();
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Run by the owner after its migrations, at every start (idempotent): what the runtime role may
 * do with the schema's tables. Default privileges cover the tables the owner creates later (a new
 * migration, a rebuild's shadow table); the explicit grants cover those that exist.
 */
export async function grantRuntimeRole(owner: DataSource, runtimeRole: string): Promise<void> {
  const role = quoted(runtimeRole);
  const declared = owner.migrations.flatMap(
    (migration) => ((migration as Partial<AppendOnlyTables>).appendOnly ?? []) as readonly string[],
  );
  await owner.transaction(async (tx) => {
    // Instances starting together would otherwise update the same catalog rows at once.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('homeward.runtime-grants'))`);
    const appendOnly: Array<{ name: string }> = await tx.query(
      `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relname = ANY($1)`,
      [[...eventLog, ...declared]],
    );
    await tx.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await tx.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
    await tx.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO ${role}`);
    await tx.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await tx.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    // Whatever was granted by hand before: never truncate, reference or trigger.
    await tx.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`);
    for (const { name } of appendOnly) await tx.query(`REVOKE UPDATE, DELETE ON ${quoted(name)} FROM ${role}`);
    // The runtime checks that nothing is pending; only the owner records a migration.
    await tx.query(`REVOKE INSERT, UPDATE, DELETE ON migrations FROM ${role}`);
  });
}

/**
 * Why the role of this connection could alter its tables (a superuser, or the owner of one of
 * them, directly or through a role it belongs to), or null when it cannot.
 */
export async function alterableBy(dataSource: Pick<DataSource, 'query'>): Promise<string | null> {
  const [row]: Array<{ role: string; superuser: boolean; owned: string[] }> = await dataSource.query(
    `SELECT current_user AS role,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            ARRAY(SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
                  AND pg_has_role(current_user, relowner, 'USAGE') ORDER BY relname LIMIT 3) AS owned`,
  );
  if (row!.superuser) return `${row!.role} is a superuser`;
  if (row!.owned.length > 0) return `${row!.role} owns ${row!.owned.join(', ')}`;
  return null;
}
