// Test infrastructure: the real PostgreSQL at DATABASE_URL and the real Kafka at KAFKA_BROKERS,
// which `npm test` provides (local broker, Testcontainers or given). Every test file gets its
// own database and its own topic names, so suites never see each other's data.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const databaseAdminUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const kafkaBrokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

// `npm test` tags every name of its run (HOMEWARD_TEST_RUN), and deletes the run's topics from the
// shared broker at the end (infra/test.mjs); suites run on their own make names without a tag.
const runTag = process.env.HOMEWARD_TEST_RUN ? `${process.env.HOMEWARD_TEST_RUN}_` : '';

export const uniqueName = (prefix: string) => `${prefix}_${runTag}${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database for one test file; drop() removes it (forcing out connections). */
export async function createTestDatabase(prefix = 'homeward_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ connectionString: databaseAdminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: databaseUrlFor(databaseAdminUrl(), name),
    async drop() {
      const client = new pg.Client({ connectionString: databaseAdminUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
