// What every benchmark shares: sizes, timing, percentiles, throw-away databases and topics.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { databaseUrlFor } from '../../../infra/postgres.mjs';
import { log } from '../../../infra/common.mjs';
import { deleteTopicsMatching, ensureTopics } from '../../../infra/topics.mjs';

export const quick = process.env.BENCH_QUICK === '1';
/** Full size, or the smoke-run size under BENCH_QUICK=1. */
export const size = (full, small) => (quick ? small : full);

/** One run's names: databases `<prefix>_<what>`, topics and groups `<prefix>.<what>`. */
export const prefix = `hwbench_${randomBytes(4).toString('hex')}`;
export const adminUrl = () => process.env.DATABASE_URL;
export const brokers = () => process.env.KAFKA_BROKERS.split(',').map((b) => b.trim());

export const say = (message) => log(`bench: ${message}`);
export const now = () => performance.now();

export async function timed(fn) {
  const started = now();
  const result = await fn();
  return { ms: now() - started, result };
}

export const perSecond = (count, ms) => (count * 1000) / ms;

/** Contenders are measured in this many interleaved rounds; the figure is the median round. */
export const ROUNDS = 3;
export const median = (values) => percentile(values, 50);

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs task(i) for i in [0, total) with `concurrency` workers. */
export async function inParallel(concurrency, total, task) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

export async function withAdmin(fn) {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'homeward-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<what>` and returns its URL. */
export async function createDatabase(what) {
  const name = `${prefix}_${what}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return databaseUrlFor(adminUrl(), name);
}

export const kafka = () => new Kafka({ clientId: 'homeward-bench', brokers: brokers(), logLevel: logLevel.NOTHING });

/** Creates a topic and waits until every partition has a leader (infra's own retrying helper). */
export async function createTopic(name, partitions = 6) {
  await ensureTopics(brokers().join(','), [name], { partitions, replicationFactor: 1 });
}

/** Drops every database and deletes every topic of this run, whatever got created. */
export async function cleanUp() {
  await withAdmin(async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}\\_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    // And the owner and runtime roles infra/postgres.mjs made for the services' databases.
    const { rows: roles } = await client.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1`, [`${prefix}\\_%`]);
    for (const { rolname } of roles) await client.query(`DROP ROLE IF EXISTS ${rolname}`);
  });
  await deleteTopicsMatching(brokers(), (topic) => topic.startsWith(`${prefix}.`));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(predicate, { timeoutMs, intervalMs = 20, what }) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
