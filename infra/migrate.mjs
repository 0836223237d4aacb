#!/usr/bin/env node
// One service's database migrations as a step of their own: the migration Job of the Kubernetes
// manifests (infra/k8s), before any instance of the new version starts. The owner role
// (DATABASE_MIGRATION_URL) migrates and grants the runtime role (DATABASE_URL) its rows, exactly
// as every service does at boot (openDatabase in @homeward/eventsourcing), then it exits.
//
// With --wait it uses the runtime role alone and waits until no migration of this build is pending
// in the database: the init container of each service's pods, so that no instance serves on a
// schema older than its code, whatever tool applied the manifests and in whatever order.
//
// Usage (from the built tree, as in the image):
//   SERVICE_NAME=intake DATABASE_URL=<runtime> DATABASE_MIGRATION_URL=<owner> node infra/migrate.mjs
//   SERVICE_NAME=intake DATABASE_URL=<runtime> node infra/migrate.mjs --wait
import path from 'node:path';
import { parseArgs } from 'node:util';
// The built libraries and services (npm start, npm test and the image build them).
import { connectDatabase, openDatabase } from '@homeward/eventsourcing';
import { log, root, sleep } from './common.mjs';
import { servicesWithDatabase } from './postgres.mjs';

/** The list each service's migrations.js exports, under the name its service.ts imports. */
export const migrationExports = Object.freeze({
  intake: 'intakeMigrations',
  'identity-documents': 'migrations',
  legal: 'legalMigrations',
  notifications: 'notificationsMigrations',
  audit: 'auditMigrations',
});

const WAIT_POLL_MS = 2_000;
const WAIT_LOG_EVERY_MS = 30_000;

async function migrationsOf(service) {
  if (!servicesWithDatabase.includes(service)) throw new Error(`SERVICE_NAME must be one of ${servicesWithDatabase.join(', ')}`);
  const module = await import(path.join(root, 'services', service, 'dist', 'migrations.js'));
  const migrations = module[migrationExports[service]];
  if (!Array.isArray(migrations)) throw new Error(`services/${service}/dist/migrations.js exports no ${migrationExports[service]}`);
  return migrations;
}

/** As TypeORM names a migration in its table: the instance's name, else its class name. */
const migrationName = (Migration) => new Migration().name ?? Migration.name;

/** The names of this build's migrations that the database has not recorded; all of them before the first migration. */
async function pendingMigrations(dataSource, migrations) {
  const done = await dataSource.query('SELECT name FROM migrations').then(
    (rows) => new Set(rows.map((row) => row.name)),
    (error) => {
      if (error.code === '42P01') return new Set(); // undefined_table: never migrated
      throw error;
    },
  );
  return migrations.map(migrationName).filter((name) => !done.has(name));
}

async function waitForSchema(service, migrations, url) {
  const started = Date.now();
  let lastLog = 0;
  for (;;) {
    let pending;
    let dataSource;
    try {
      dataSource = await connectDatabase({ url, poolSize: 1, applicationName: `${service}-migration-wait` });
      pending = await pendingMigrations(dataSource, migrations);
    } catch (error) {
      pending = [`(database not reachable: ${error.code ?? 'error'})`];
    } finally {
      await dataSource?.destroy().catch(() => undefined);
    }
    if (pending.length === 0) return log(`${service}: schema current (${migrations.length} migrations), after ${Date.now() - started} ms`);
    if (Date.now() - lastLog >= WAIT_LOG_EVERY_MS) {
      log(`${service}: waiting for the migration job; pending ${pending.length}: ${pending.slice(0, 3).join(', ')}`);
      lastLog = Date.now();
    }
    await sleep(WAIT_POLL_MS);
  }
}

async function main() {
  const { values } = parseArgs({ options: { wait: { type: 'boolean', default: false } } });
  const service = process.env.SERVICE_NAME ?? '';
  const migrations = await migrationsOf(service);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL (the runtime role) is required');
  if (values.wait) return waitForSchema(service, migrations, url);
  const migrationUrl = process.env.DATABASE_MIGRATION_URL;
  if (!migrationUrl) throw new Error('DATABASE_MIGRATION_URL (the owner role) is required: the runtime role cannot migrate');
  const dataSource = await openDatabase({ url, migrationUrl, migrations, poolSize: 1, applicationName: `${service}-migrations` });
  await dataSource.destroy();
  log(`${service}: ${migrations.length} migrations applied or already there; runtime role granted`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (error) => {
      // The message only: a connection error's fields can echo the URL, password included.
      console.error(`[homeward] migrate: ${error.code ? `${error.code} ` : ''}${error.message}`);
      process.exit(1);
    },
  );
}
