#!/usr/bin/env node
// One PostgreSQL database per service (`homeward_<service>`), created on the server that
// DATABASE_URL points at. Only databases: each service runs its own migrations at boot.
// Usage: node infra/postgres.mjs   (prepares every service's database)
//
// Configuration (environment):
//   DATABASE_URL  admin connection (default postgres://postgres@127.0.0.1:5432/postgres); the
//                 role must be allowed to CREATE DATABASE
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

async function connect(adminUrl) {
  // Imported lazily: this module is also loaded by scripts that run before `npm install`.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'homeward-infra' });
  await client.connect();
  return client;
}

async function createDatabase(client, name) {
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount > 0) return false;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE "${name}"`);
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
 * Creates <prefix>_<service> for each service name unless it exists, and resolves with
 * { [service]: databaseUrl }.
 * @param {string} [databaseUrl]
 * @param {readonly string[]} [names]
 * @param {string} [prefix]
 */
export async function preparePostgres(databaseUrl = process.env.DATABASE_URL ?? defaultDatabaseUrl, names = servicesWithDatabase, prefix = undefined) {
  const client = await connect(databaseUrl);
  const urls = {};
  try {
    for (const service of names) {
      const dbName = databaseNameFor(service, prefix);
      const created = await createDatabase(client, dbName);
      if (created) log(`created database ${dbName}`);
      urls[service] = databaseUrlFor(databaseUrl, dbName);
    }
  } finally {
    await client.end();
  }
  return urls;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  preparePostgres().then(
    (urls) => log(`PostgreSQL databases ready: ${Object.keys(urls).map(databaseNameFor).join(', ')}`),
    (error) => {
      // The message only: a connection error's fields can echo the URL, password included.
      console.error(`[homeward] postgres: ${error.code ? `${error.code} ` : ''}${error.message}`);
      process.exit(1);
    },
  );
}
