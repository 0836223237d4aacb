#!/usr/bin/env node
// One PostgreSQL database per service (`homeward_<service>`), created on the server that
// DATABASE_URL points at, with two roles of its own: `<db>_owner` owns the database and its
// schema and runs the migrations (the service's DATABASE_MIGRATION_URL); `<db>_app` is the
// runtime role (its DATABASE_URL), which the owner grants reads and writes of rows after
// migrating, never DDL, TRUNCATE or TRIGGER. Each service runs its own migrations at boot.
// Usage: node infra/postgres.mjs   (prepares every service's database)
//
// Configuration (environment):
//   DATABASE_URL  admin connection (default postgres://postgres@127.0.0.1:5432/postgres); the
//                 role must be allowed to CREATE DATABASE and CREATE ROLE (a superuser locally)
//
// The roles get fresh random passwords at each preparation (ignored by a server that trusts
// local connections); the URLs that carry them are kept in this process only, for the launcher.
import { randomBytes } from 'node:crypto';
import { defaultDatabaseUrl, log, sleep } from './common.mjs';

/** The services that own state; the gateway keeps none and gets no database. */
export const servicesWithDatabase = Object.freeze(['intake', 'identity-documents', 'legal', 'notifications', 'audit']);

/** HOMEWARD_DATABASE_PREFIX (default homeward) lets test runs use databases of their own. */
export function databaseNameFor(service, prefix = process.env.HOMEWARD_DATABASE_PREFIX ?? 'homeward') {
  const name = `${prefix}_${service.replaceAll('-', '_')}`;
  // The name goes into CREATE DATABASE as an identifier, so allow only what needs no quoting rules.
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe database name: ${name}`);
  return name;
}

/** The admin URL with its path replaced by dbName; credentials, host and query (sslmode…) are kept. */
export function databaseUrlFor(adminUrl, dbName) {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(dbName)}`;
  return url.toString();
}

/** The two roles of a database: the owner, which migrates, and the runtime role, which serves. */
export const rolesFor = (dbName) => ({ owner: `${dbName}_owner`, runtime: `${dbName}_app` });

async function connect(adminUrl) {
  // Imported lazily: this module is also loaded by scripts that run before `npm install`.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'homeward-infra' });
  await client.connect();
  return client;
}

/** The URLs handed out by preparePostgres in this process: `<host>/<db>` → { url, migrationUrl }. */
const prepared = new Map();
const preparedKey = (adminUrl, dbName) => `${new URL(adminUrl).host}/${dbName}`;

function roleUrl(adminUrl, dbName, role, password) {
  const url = new URL(databaseUrlFor(adminUrl, dbName));
  url.username = role;
  url.password = password;
  return url.toString();
}

/** Creates a login role unless it exists, and gives it a new password. */
async function ensureRole(client, role, password) {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(role)) throw new Error(`not a safe role name: ${role}`);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) {
    try {
      await client.query(`CREATE ROLE "${role}" LOGIN`);
    } catch (error) {
      // 42710: made by a parallel preparation meanwhile; 23505: both were in flight.
      if (error.code !== '42710' && error.code !== '23505') throw error;
    }
  }
  await client.query(`ALTER ROLE "${role}" LOGIN PASSWORD ${client.escapeLiteral(password)}`);
}

async function createDatabase(client, name, owner) {
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount > 0) return false;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
      return true;
    } catch (error) {
      // Another process (a parallel test run, a second `npm start`) created it first: 42P04 when
      // its create had committed, 23505 on pg_database's name index when both were in flight.
      if (error.code === '42P04') return false;
      if (error.code === '23505' && error.constraint === 'pg_database_datname_index') return false;
      // 55006: template1 was in use by someone else's CREATE DATABASE; it frees up quickly.
      if (error.code === '55006' && attempt < 10) {
        await sleep(200 * attempt);
        continue;
      }
      throw error;
    }
  }
}

/**
 * Gives the owner role the database, its public schema and every object in it: a database made
 * before the roles existed was owned, with its tables, by the admin role. Only the runtime role
 * may connect besides (and the admin); no one else may create in the schema.
 */
async function handOver(adminUrl, dbName, { owner, runtime }) {
  const client = await connect(databaseUrlFor(adminUrl, dbName));
  try {
    await client.query(`ALTER DATABASE "${dbName}" OWNER TO "${owner}"`);
    await client.query(`REVOKE ALL ON DATABASE "${dbName}" FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE "${dbName}" TO "${runtime}"`);
    await client.query(`ALTER SCHEMA public OWNER TO "${owner}"`);
    await client.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    // Tables first: a table takes the sequences it owns (serial columns) along with it.
    const others = `relnamespace = 'public'::regnamespace AND relowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)`;
    const tables = await client.query(`SELECT oid::regclass::text AS name FROM pg_class WHERE relkind IN ('r', 'p') AND ${others}`, [
      owner,
    ]);
    for (const { name } of tables.rows) await client.query(`ALTER TABLE ${name} OWNER TO "${owner}"`);
    const sequences = await client.query(`SELECT oid::regclass::text AS name FROM pg_class WHERE relkind = 'S' AND ${others}`, [owner]);
    for (const { name } of sequences.rows) await client.query(`ALTER SEQUENCE ${name} OWNER TO "${owner}"`);
    const functions = await client.query(
      `SELECT oid::regprocedure::text AS name FROM pg_proc
       WHERE pronamespace = 'public'::regnamespace AND proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [owner],
    );
    for (const { name } of functions.rows) await client.query(`ALTER FUNCTION ${name} OWNER TO "${owner}"`);
  } finally {
    await client.end();
  }
}

/**
 * Creates <prefix>_<service> for each service name unless it exists, with its two roles, and
 * resolves with { [service]: { url, migrationUrl } }: the runtime role's URL (the service's
 * DATABASE_URL) and the owner's (its DATABASE_MIGRATION_URL).
 * @param {string} [databaseUrl]
 * @param {readonly string[]} [names]
 * @param {string} [prefix]
 */
export async function preparePostgres(
  databaseUrl = process.env.DATABASE_URL ?? defaultDatabaseUrl,
  names = servicesWithDatabase,
  prefix = undefined,
) {
  const client = await connect(databaseUrl);
  const urls = {};
  try {
    for (const service of names) {
      const dbName = databaseNameFor(service, prefix);
      const roles = rolesFor(dbName);
      const passwords = { owner: randomBytes(18).toString('base64url'), runtime: randomBytes(18).toString('base64url') };
      await ensureRole(client, roles.owner, passwords.owner);
      await ensureRole(client, roles.runtime, passwords.runtime);
      const created = await createDatabase(client, dbName, roles.owner);
      if (created) log(`created database ${dbName}`);
      await handOver(databaseUrl, dbName, roles);
      urls[service] = {
        url: roleUrl(databaseUrl, dbName, roles.runtime, passwords.runtime),
        migrationUrl: roleUrl(databaseUrl, dbName, roles.owner, passwords.owner),
      };
      prepared.set(preparedKey(databaseUrl, dbName), urls[service]);
    }
  } finally {
    await client.end();
  }
  return urls;
}

/**
 * The database settings of one service's process, from the launch environment (its admin
 * DATABASE_URL and HOMEWARD_DATABASE_PREFIX): { DATABASE_URL, DATABASE_MIGRATION_URL }, the URLs
 * preparePostgres made in this process. Throws when it has not prepared that database.
 */
export function serviceDatabaseEnv(service, base = process.env) {
  const adminUrl = base.DATABASE_URL ?? defaultDatabaseUrl;
  const dbName = databaseNameFor(service, base.HOMEWARD_DATABASE_PREFIX);
  const urls = prepared.get(preparedKey(adminUrl, dbName));
  if (!urls) throw new Error(`database ${dbName} was not prepared by this process (preparePostgres): no role URLs for ${service}`);
  return { DATABASE_URL: urls.url, DATABASE_MIGRATION_URL: urls.migrationUrl };
}

/** Drops the databases of these services and their roles (a test run's, by its prefix). */
export async function dropPostgres(databaseUrl, names, prefix) {
  const client = await connect(databaseUrl);
  try {
    for (const service of names) {
      const dbName = databaseNameFor(service, prefix);
      const { owner, runtime } = rolesFor(dbName);
      await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS "${runtime}"`);
      await client.query(`DROP ROLE IF EXISTS "${owner}"`);
      prepared.delete(preparedKey(databaseUrl, dbName));
    }
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  preparePostgres().then(
    (urls) =>
      log(
        `PostgreSQL databases ready, each with its owner and runtime roles: ${Object.keys(urls)
          .map((service) => databaseNameFor(service))
          .join(', ')}`,
      ),
    (error) => {
      // The message only: a connection error's fields can echo the URL, password included.
      console.error(`[homeward] postgres: ${error.code ? `${error.code} ` : ''}${error.message}`);
      process.exit(1);
    },
  );
}
