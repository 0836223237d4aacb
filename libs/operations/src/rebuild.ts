// Rebuilds an inline read model while the live one keeps serving: replays the service's own
// events into `<name>__rebuild` (created like the live table), page by page, then swaps in ONE
// transaction that first takes the lock every appender of this read model needs, applies what
// was recorded since the last page, and renames. Only DocumentProjections are re-applied: no
// decider runs, no side effect fires.
import type { DataSource, EntityManager } from 'typeorm';
import {
  applyToDocuments,
  eventColumns,
  rowToEnvelope,
  tableOf,
  upcast,
  type DocumentProjection,
  type Upcasters,
} from '@homeward/eventsourcing';

export interface RebuildProgress {
  eventsDone: number;
  eventsTotal: number;
}

export interface InlineRebuildOptions {
  dataSource: DataSource;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each projection has its own document type
  projection: DocumentProjection<any>;
  upcasters?: Upcasters;
  pageSize?: number;
  onProgress?(progress: RebuildProgress): Promise<void> | void;
  /** Test hook: runs after each page, before the next one. */
  afterPage?(): Promise<void>;
}

interface Cursor {
  /** Highest global position read so far. */
  position: string;
  /** xmin of the snapshot of the last read (applied events older than it cannot come back). */
  xmin: string | null;
  /**
   * Transactions in progress at the last read. Only they can commit an event below `position`
   * later: a transaction that began after that read takes its global positions after it.
   */
  xip: string[];
  /** Ids of events applied whose transaction id is at least `xmin`: the ones a later read may see again. */
  recent: Map<string, string>;
}

type Row = Parameters<typeof rowToEnvelope>[0] & { transaction_id: string };

export const shadowTableOf = (name: string) => `${tableOf({ name })}__rebuild`;

/**
 * A shadow is written over and over (a document per event) and is worth nothing after a crash (the
 * job fails and starts again): unlogged while it is built (no WAL), and with room in each page so
 * that an update stays on its page and leaves the index alone (HOT). Made logged before the swap.
 */
export async function createShadowTable(db: Pick<DataSource, 'query'>, live: string, shadow: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${shadow}`);
  await db.query(`CREATE UNLOGGED TABLE ${shadow} (LIKE ${live} INCLUDING ALL) WITH (fillfactor = 50)`);
}

export async function rebuildInlineProjection(options: InlineRebuildOptions): Promise<RebuildProgress> {
  const { dataSource, projection } = options;
  const live = tableOf(projection);
  const shadow = shadowTableOf(live);
  const handles = [...projection.handles];
  await createShadowTable(dataSource, live, shadow);

  const [{ total }]: Array<{ total: number }> = await dataSource.query(`SELECT count(*)::int AS total FROM events WHERE type = ANY($1)`, [
    handles,
  ]);
  const progress: RebuildProgress = { eventsDone: 0, eventsTotal: total };
  const cursor: Cursor = { position: '0', xmin: null, xip: [], recent: new Map() };
  const pageSize = options.pageSize ?? 5_000;

  for (;;) {
    const applied = await dataSource.transaction('REPEATABLE READ', (tx) => applyPage(tx, options, shadow, cursor, pageSize));
    progress.eventsDone += applied.applied;
    progress.eventsTotal = Math.max(progress.eventsTotal, progress.eventsDone);
    await options.onProgress?.(progress);
    if (!applied.full) break;
    await options.afterPage?.();
  }

  await dataSource.query(`ALTER TABLE ${shadow} SET LOGGED`);
  // The swap. In REPEATABLE READ the snapshot is taken by the first query, after the lock: every
  // append that touched the live table has committed and is seen; any later one waits, then
  // writes to the table that carries the name.
  await dataSource.transaction('REPEATABLE READ', async (tx) => {
    await tx.query(`LOCK TABLE ${live} IN EXCLUSIVE MODE`);
    const { applied } = await applyPage(tx, options, shadow, cursor, null);
    progress.eventsDone += applied;
    await tx.query(`ALTER TABLE ${live} RENAME TO ${live}__old`);
    await tx.query(`ALTER TABLE ${shadow} RENAME TO ${live}`);
    await tx.query(`DROP TABLE ${live}__old`);
  });
  progress.eventsTotal = Math.max(progress.eventsTotal, progress.eventsDone);
  await options.onProgress?.(progress);
  return progress;
}

/**
 * Reads, in one snapshot, the events after the cursor plus the ones at or below it that were not
 * visible to the previous read (written by a transaction in progress then), and applies them in
 * global order. Global order is stream order: a stream's writers serialise on its lock.
 */
async function applyPage(
  tx: EntityManager,
  { projection, upcasters }: InlineRebuildOptions,
  shadow: string,
  cursor: Cursor,
  limit: number | null,
): Promise<{ applied: number; full: boolean }> {
  const handles = [...projection.handles];
  const [{ xmin, xip }]: Array<{ xmin: string; xip: string[] }> = await tx.query(
    `SELECT pg_snapshot_xmin(s)::text AS xmin, ARRAY(SELECT x::text FROM pg_snapshot_xip(s) AS x) AS xip FROM pg_current_snapshot() AS s`,
  );
  // By transaction id (indexed), never by a position range: that one grew with the log.
  const late: Row[] =
    cursor.xip.length === 0
      ? []
      : await tx.query(
          `SELECT ${eventColumns}, transaction_id::text FROM events
           WHERE transaction_id = ANY($3::xid8[]) AND type = ANY($1) AND global_position <= $2 ORDER BY global_position`,
          [handles, cursor.position, cursor.xip],
        );
  const ahead: Row[] = await tx.query(
    `SELECT ${eventColumns}, transaction_id::text FROM events
     WHERE type = ANY($1) AND global_position > $2 ORDER BY global_position ${limit === null ? '' : `LIMIT ${Number(limit)}`}`,
    [handles, cursor.position],
  );
  const fresh = [...late.filter((row) => !cursor.recent.has(row.event_id)), ...ahead].sort((a, b) =>
    BigInt(a.global_position) < BigInt(b.global_position) ? -1 : 1,
  );
  if (fresh.length > 0) {
    await applyToDocuments(
      tx,
      projection,
      fresh.map((row) => upcast(rowToEnvelope(row), upcasters)),
      shadow,
    );
  }
  for (const row of fresh) cursor.recent.set(row.event_id, row.transaction_id);
  for (const [eventId, transactionId] of cursor.recent) if (BigInt(transactionId) < BigInt(xmin)) cursor.recent.delete(eventId);
  if (ahead.length > 0) cursor.position = ahead[ahead.length - 1]!.global_position;
  cursor.xmin = xmin;
  cursor.xip = xip;
  return { applied: fresh.length, full: limit !== null && ahead.length === limit };
}
