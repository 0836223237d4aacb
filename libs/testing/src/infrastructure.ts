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
  /**
   * The owner's URL (`<name>_owner`, not a superuser): what a test sets up and inspects with, and
   * what a service given only this URL migrates and runs with, as one role.
   */
  url: string;
  /** The runtime role's URL (`<name>_app`): reads and writes rows once the owner has migrated and granted. */
  runtimeUrl: string;
  roles: { owner: string; runtime: string };
  drop(): Promise<void>;
}

function roleUrl(adminUrl: string, database: string, role: string, password: string): string {
  const url = new URL(databaseUrlFor(adminUrl, database));
  url.username = role;
  url.password = password;
  return url.toString();
}

/**
 * Creates an empty database for one test file, owned by a role of its own, with a runtime role
 * beside it (as infra/postgres.mjs does for npm start); drop() removes the database (forcing out
 * connections) and both roles.
 */
export async function createTestDatabase(prefix = 'homeward_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const roles = { owner: `${name}_owner`, runtime: `${name}_app` };
  if (roles.owner.length > 63) throw new Error(`test database name too long for its roles: ${name}`);
  const passwords = { owner: randomBytes(18).toString('base64url'), runtime: randomBytes(18).toString('base64url') };
  const admin = new pg.Client({ connectionString: databaseAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${roles.owner} LOGIN PASSWORD ${admin.escapeLiteral(passwords.owner)}`);
    await admin.query(`CREATE ROLE ${roles.runtime} LOGIN PASSWORD ${admin.escapeLiteral(passwords.runtime)}`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${roles.owner}`);
    await admin.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT ON DATABASE ${name} TO ${roles.runtime}`);
  } finally {
    await admin.end();
  }
  // The schema belongs to the owner, and no one else may create in it.
  const inside = new pg.Client({ connectionString: databaseUrlFor(databaseAdminUrl(), name) });
  await inside.connect();
  try {
    await inside.query(`ALTER SCHEMA public OWNER TO ${roles.owner}`);
    await inside.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
  } finally {
    await inside.end();
  }
  return {
    name,
    url: roleUrl(databaseAdminUrl(), name, roles.owner, passwords.owner),
    runtimeUrl: roleUrl(databaseAdminUrl(), name, roles.runtime, passwords.runtime),
    roles,
    async drop() {
      const client = new pg.Client({ connectionString: databaseAdminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${roles.runtime}`);
        await client.query(`DROP ROLE IF EXISTS ${roles.owner}`);
      } finally {
        await client.end();
      }
    },
  };
}
