// Event-store append: Homeward's EventStore (decider, guarded head, hash chain, outbox, wake-up) beside
// a raw pg writer that inserts the same event and outbox rows, and beside Emmett's PostgreSQL event
// store appending the same events to the same server. Each writes into a database of its own.
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { EventStore, OUTBOX_CHANNEL, eventStoreMigrations, openDatabase } from '@homeward/eventsourcing';
import { operationsMigrations } from '@homeward/operations';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { ROUNDS, createDatabase, inParallel, median, now, perSecond, say, size } from './kit.mjs';

export const POOL_SIZE = 8; // openDatabase's default (DATABASE_POOL_SIZE): every writer gets the same
export const WRITERS = 16;
const ROUND_SECONDS = size(5, 1);
/** The schema every service database runs (all its indexes): the raw writer gets it too. */
export const migrations = [...eventStoreMigrations, ...operationsMigrations];

/** A PrisonerReleased as intake's contract has it: what the relay and consumer encode later. */
export const releaseData = (personId, n) => ({
  personId,
  releasedAt: '2025-09-11T09:00:00.000Z',
  mechanism: 'brokered',
  batchId: 'bench-batch',
  daysOfSentenceRemaining: n % 365,
});

const releases = (count) => ({
  initialState: () => ({ releases: 0 }),
  evolve: (state) => ({ releases: state.releases + 1 }),
  decide: (command) => Array.from({ length: count }, (_, n) => ({ type: 'PrisonerReleased', data: releaseData(command.personId, n) })),
});

const commandContext = () => ({
  actor: 'bench-writer',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: '2025-09-11T10:00:00.000Z',
});

// Every writer appends to a stream it has just named, as intake registers a person under an id it
// drew: Homeward and Emmett are both told the stream is new (expected version 0), so neither
// reads it first and both refuse if it exists.
const NEW_STREAM = 0;

function homewardWriter(store) {
  const deciders = new Map();
  return async (personId, count) => {
    if (!deciders.has(count)) deciders.set(count, releases(count));
    await store.handle(
      deciders.get(count),
      { personId },
      { streamId: `person-${personId}`, subject: personId },
      { ...commandContext(), expectedVersion: NEW_STREAM },
    );
  };
}

/**
 * The same rows the store writes (events with metadata and hashes, the append's outbox row) with the
 * same multi-row statements, and nothing else: no stream head, no history read, no hash chain.
 */
function rawWriter(pool, topic, { notify = false } = {}) {
  return async (personId, count) => {
    const recordedAt = new Date().toISOString();
    const context = commandContext();
    const metadata = JSON.stringify({
      occurredAt: context.occurredAt,
      recordedAt,
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      subject: personId,
      source: 'intake',
    });
    const ids = Array.from({ length: count }, () => uuidv7());
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash, recorded_at)
         SELECT e.event_id, $1, e.stream_version, 'PrisonerReleased', 1, e.data, e.metadata, e.prev_hash, e.hash, $2
         FROM unnest($3::uuid[], $4::int[], $5::jsonb[], $6::jsonb[], $7::text[], $8::text[])
              AS e(event_id, stream_version, data, metadata, prev_hash, hash)`,
        [
          `person-${personId}`,
          recordedAt,
          ids,
          ids.map((_, n) => n + 1),
          ids.map((_, n) => JSON.stringify(releaseData(personId, n))),
          ids.map(() => metadata),
          ids.map((_, n) => `prev-${n}`),
          ids.map((id) => `hash-${id}`),
        ],
      );
      await client.query(`INSERT INTO outbox (stream_id, from_version, to_version, topic) VALUES ($1, 1, $2, $3)`, [
        `person-${personId}`,
        count,
        topic,
      ]);
      if (notify) await client.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

function emmettWriter(eventStore) {
  return async (personId, count) => {
    await eventStore.appendToStream(
      `person-${personId}`,
      Array.from({ length: count }, (_, n) => ({ type: 'PrisonerReleased', data: releaseData(personId, n) })),
      { expectedStreamVersion: BigInt(NEW_STREAM) },
    );
  };
}

/**
 * events/s of `write`, WRITERS at a time, each appending `perTx` events to a new stream per
 * transaction for `seconds` (a time, not a count: on a loaded machine a count could take minutes).
 */
async function measure(write, seconds, perTx) {
  let transactions = 0;
  const started = now();
  const deadline = started + seconds * 1000;
  const writer = async () => {
    while (now() < deadline) {
      await write(randomUUID(), perTx);
      transactions += 1;
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return perSecond(transactions * perTx, now() - started);
}

/**
 * Resolves with the figures and the Homeward store's database (its outbox still full: the relay
 * benchmark drains it next).
 */
export async function benchAppend({ topic }) {
  const shapes = [
    { name: '1 event/tx', perTx: 1 },
    { name: '50 events/tx', perTx: 50 },
  ];
  const homewardDs = await openDatabase({
    url: await createDatabase('append'),
    migrations,
    poolSize: POOL_SIZE,
    applicationName: 'bench-append',
  });
  const rawUrl = await createDatabase('raw');
  await (await openDatabase({ url: rawUrl, migrations, poolSize: 1 })).destroy(); // same schema, migrated the same way
  const rawPool = new pg.Pool({ connectionString: rawUrl, max: POOL_SIZE, application_name: 'bench-raw' });
  const emmett = getPostgreSQLEventStore(await createDatabase('emmett'));
  const writers = {
    raw: rawWriter(rawPool, topic),
    // Not a baseline: the raw writer plus the store's pg_notify, to show what the notify costs.
    rawNotify: rawWriter(rawPool, topic, { notify: true }),
    homeward: homewardWriter(new EventStore(homewardDs, { source: 'intake', topic })),
    emmett: emmettWriter(emmett),
  };
  const results = [];
  try {
    // Warm the pools, the plans and the schema.
    for (const write of Object.values(writers)) await inParallel(WRITERS, WRITERS, () => write(randomUUID(), 1));
    for (const shape of shapes) {
      // Interleaved rounds, median of each: the machine is shared, and load that comes and goes
      // should fall on every contender alike.
      const rounds = Object.fromEntries(Object.keys(writers).map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const [name, write] of Object.entries(writers)) rounds[name].push(await measure(write, ROUND_SECONDS, shape.perTx));
      }
      const rate = Object.fromEntries(Object.entries(rounds).map(([name, rates]) => [name, median(rates)]));
      say(
        `append ${shape.name}: ${Object.entries(rounds)
          .map(([name, rates]) => `${name} ${rates.map((r) => r.toFixed(0)).join('/')} ev/s`)
          .join(', ')}`,
      );
      results.push({ ...shape, secondsPerRound: ROUND_SECONDS, rounds, ...rate });
    }
  } finally {
    await rawPool.end();
    await emmett.close();
  }
  return { results, dataSource: homewardDs };
}
