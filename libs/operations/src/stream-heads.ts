// Reconciliation with audit's copy, the store's side: every stream summed up (last version, its
// hash, how many events, a digest of them all), a page at a time in stream id byte order, then one
// stream's events, so that a stream whose sums differ from the copy's is narrowed to the events.
// The audit service sums its copy with the same digest (streamDigestSql), so equal sums mean the
// same events, with the same ids and hashes, at the same versions.
import { createHash } from 'node:crypto';
import { DomainError } from '@homeward/decider';
import type { DataSource } from 'typeorm';

export interface StreamHead {
  streamId: string;
  version: number;
  hash: string;
  events: number;
  digest: string;
}

export interface StreamEventRef {
  version: number;
  eventId: string;
  hash: string;
  recordedAt: string;
}

/** 1..1000, `fallback` when not given (proto3 sends 0). */
export const reconcilePageLimit = (limit: number | undefined, fallback: number) =>
  Math.min(Math.max(Math.trunc(limit || fallback), 1), 1000);

/**
 * A stream's digest over the rows of one aggregate, in `order`: hex SHA-256 of the lines
 * `<version> <event id> <hash>` joined by a newline; "" for no row. The store and audit's copy use
 * this one expression; streamDigest is the same in TypeScript.
 */
export const streamDigestSql = (order: string) =>
  `coalesce(encode(sha256(convert_to(` +
  `string_agg(stream_version || ' ' || event_id || ' ' || hash, E'\\n' ORDER BY ${order}), 'UTF8')), 'hex'), '')`;

export function streamDigest(rows: ReadonlyArray<{ version: number; eventId: string; hash: string }>): string {
  if (rows.length === 0) return '';
  return createHash('sha256')
    .update(rows.map((row) => `${row.version} ${row.eventId} ${row.hash}`).join('\n'))
    .digest('hex');
}

/** $1 the stream id to start after, $2 the page size (exported for the test of its plan). */
export const streamHeadsSql = `
  SELECT s.stream_id, h.version, h.hash, h.events, h.digest
  FROM (SELECT stream_id FROM streams WHERE stream_id COLLATE "C" > $1 ORDER BY stream_id COLLATE "C" LIMIT $2) s
  CROSS JOIN LATERAL (
    SELECT coalesce(max(e.stream_version), 0) AS version,
           coalesce((array_agg(e.hash ORDER BY e.stream_version DESC))[1], '') AS hash,
           count(*)::int AS events,
           ${streamDigestSql('e.stream_version')} AS digest
    FROM events e WHERE e.stream_id = s.stream_id) h
  ORDER BY s.stream_id COLLATE "C"`;

/**
 * The streams after `after`, each summed from its events (not from the streams row, which an
 * edit of the events would leave as it was). One page reads the streams index from `after` on and
 * each stream's events through their (stream_id, stream_version) index.
 */
export async function streamHeads(
  dataSource: DataSource,
  after: string,
  limit?: number,
): Promise<{ items: StreamHead[]; nextCursor: string }> {
  const size = reconcilePageLimit(limit, 200);
  const rows: Array<{ stream_id: string; version: number; hash: string; events: number; digest: string }> = await dataSource.query(
    streamHeadsSql,
    [after, size],
  );
  const items = rows.map((row) => ({
    streamId: row.stream_id,
    version: row.version,
    hash: row.hash,
    events: row.events,
    digest: row.digest,
  }));
  return { items, nextCursor: items.length === size ? items[items.length - 1]!.streamId : '' };
}

/** One stream's events in version order, a page at a time; the cursor is the last version sent. */
export async function streamEvents(
  dataSource: DataSource,
  streamId: string,
  cursor: string,
  limit?: number,
): Promise<{ items: StreamEventRef[]; nextCursor: string }> {
  if (!streamId) throw new DomainError('validation-failed', 'stream.id-missing', 'streamId is required');
  if (cursor !== '' && !/^\d{1,9}$/.test(cursor)) throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
  const size = reconcilePageLimit(limit, 500);
  const rows: Array<{ version: number; event_id: string; hash: string; recorded_at: Date }> = await dataSource.query(
    `SELECT stream_version AS version, event_id::text AS event_id, hash, recorded_at
     FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version LIMIT $3`,
    [streamId, Number(cursor || 0), size],
  );
  const items = rows.map((row) => ({
    version: row.version,
    eventId: row.event_id,
    hash: row.hash,
    recordedAt: row.recorded_at.toISOString(),
  }));
  return { items, nextCursor: items.length === size ? String(items[items.length - 1]!.version) : '' };
}
