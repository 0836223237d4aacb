// Rebuild: a million PrisonerReleased events (valid rows: data and metadata as the store writes
// them, 10 per stream) rebuilt into a read model by ServiceOperations.rebuildProjection, the job an
// operator starts, beside a raw keyset scan reading the same rows in pages of the same size.
import { EventStore, documentTableSql, eventColumns, openDatabase } from '@homeward/eventsourcing';
import { ServiceOperations } from '@homeward/operations';
import pg from 'pg';
import { POOL_SIZE, migrations } from './append.mjs';
import { releasesProjection } from './kafka-path.mjs';
import { createDatabase, now, perSecond, say, size, timed } from './kit.mjs';

const PAGE = 5_000; // rebuildInlineProjection's default page
const PER_STREAM = 10;

async function seed(dataSource, total) {
  const streams = Math.ceil(total / PER_STREAM);
  await dataSource.query(
    `CREATE UNLOGGED TABLE bench_people AS SELECT s, md5('bench-person-' || s)::uuid::text AS person FROM generate_series(0, $1 - 1) AS s`,
    [streams],
  );
  // Version by version: event n is version floor(n / streams) + 1 of stream n % streams, so global
  // order is stream order, as the store guarantees. Event ids rise with n, as UUID v7 ids do.
  for (let version = 1; (version - 1) * streams < total; version += 1) {
    await dataSource.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash, recorded_at)
       SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'person-' || person, $1, 'PrisonerReleased', 1,
              jsonb_build_object('personId', person, 'releasedAt', '2025-09-11T09:00:00.000Z', 'mechanism', 'brokered',
                                 'batchId', 'bench-batch', 'daysOfSentenceRemaining', n % 365),
              jsonb_build_object('occurredAt', '2025-09-11T10:00:00.000Z', 'recordedAt', '2025-09-11T10:00:00.000Z',
                                 'actor', 'bench-seed', 'correlationId', 'bench', 'causationId', 'bench',
                                 'subject', person, 'source', 'intake'),
              'prev-' || n, 'hash-' || n, now()
       FROM (SELECT s, person, ($1 - 1) * $2 + s AS n FROM bench_people) AS p WHERE n < $3 ORDER BY s`,
      [version, streams, total],
    );
  }
  await dataSource.query('DROP TABLE bench_people');
  await dataSource.query('ANALYZE events');
  return streams;
}

async function rawScan(url, handles) {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-raw-scan' });
  await client.connect();
  try {
    let position = '0';
    let seen = 0;
    for (;;) {
      const { rows } = await client.query(
        `SELECT ${eventColumns} FROM events WHERE type = ANY($1) AND global_position > $2 ORDER BY global_position LIMIT ${PAGE}`,
        [handles, position],
      );
      seen += rows.length;
      if (rows.length < PAGE) return seen;
      position = rows[rows.length - 1].global_position;
    }
  } finally {
    await client.end();
  }
}

export async function benchRebuild() {
  const total = size(1_000_000, 50_000);
  const url = await createDatabase('rebuild');
  const dataSource = await openDatabase({ url, migrations, poolSize: POOL_SIZE, applicationName: 'bench-rebuild' });
  try {
    await dataSource.query(documentTableSql(releasesProjection.name));
    const seeded = await timed(() => seed(dataSource, total));
    say(`rebuild: seeded ${total} events in ${(seeded.ms / 1000).toFixed(1)} s`);
    const streams = seeded.result;

    const scan = async () => {
      const { ms, result } = await timed(() => rawScan(url, releasesProjection.handles));
      if (result !== total) throw new Error(`raw scan read ${result} of ${total} events`);
      return perSecond(total, ms);
    };
    const raw = await scan();

    const store = new EventStore(dataSource, { source: 'intake', topic: 'unused', projections: [releasesProjection] });
    const operations = new ServiceOperations({ service: 'bench', dataSource, store, consumers: [], pageSize: PAGE });
    const started = now();
    const job = await operations.rebuildProjection(releasesProjection.name);
    await operations.settle();
    const ms = now() - started;
    const done = await operations.getJob(job.id);
    if (done.state !== 'done' || done.eventsDone !== total)
      throw new Error(`rebuild job ended ${done.state} with ${done.eventsDone} of ${total} events`);
    const [check] = await dataSource.query(
      `SELECT count(*)::int AS docs, sum((doc->>'releases')::int)::int AS releases FROM ${releasesProjection.name}`,
    );
    if (check.docs !== streams || check.releases !== total)
      throw new Error(`rebuilt read model has ${check.docs} documents / ${check.releases} releases`);
    const rebuild = perSecond(total, ms);
    say(`rebuild: ServiceOperations job ${rebuild.toFixed(0)} ev/s, raw keyset scan ${raw.toFixed(0)} ev/s`);
    return { events: total, rebuild, raw };
  } finally {
    await dataSource.destroy();
  }
}
