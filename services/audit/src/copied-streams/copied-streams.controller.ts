// Reconciliation, the copy's side: audit's copy of one context's streams summed up exactly as the
// context sums its own store (AdminService.StreamHeads, the same digest expression), in stream id
// byte order, and one copied stream's rows. The gateway merges the two and narrows a stream whose
// sums differ to the events missing, extra or different. Ids, versions and hashes only.
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { reconcilePageLimit, streamDigestSql } from '@homeward/operations';
import { DataSource } from 'typeorm';

/**
 * $1 source, $2 the stream id to start after, $3 the page size. The copy has no table of streams,
 * so the distinct stream ids are walked one index probe each (a loose index scan), and each stream
 * is summed over its own range of the same index (source, stream_id COLLATE "C", stream_version, id).
 * Every row counts: a version copied twice (a context republished it changed, under another event
 * id) is in the count and the digest twice, so the sums differ from the store's and the gateway
 * looks closer.
 */
export const copiedStreamHeadsSql = `
  WITH RECURSIVE ids(stream_id) AS (
    (SELECT stream_id FROM audit_events WHERE source = $1 AND stream_id COLLATE "C" > $2 ORDER BY stream_id COLLATE "C" LIMIT 1)
    UNION ALL
    SELECT (SELECT a.stream_id FROM audit_events a
            WHERE a.source = $1 AND a.stream_id COLLATE "C" > ids.stream_id COLLATE "C" ORDER BY a.stream_id COLLATE "C" LIMIT 1)
    FROM ids WHERE ids.stream_id IS NOT NULL
  )
  SELECT s.stream_id, h.version, h.hash, h.events, h.digest
  FROM (SELECT stream_id FROM ids WHERE stream_id IS NOT NULL LIMIT $3) s
  CROSS JOIN LATERAL (
    SELECT coalesce(max(a.stream_version), 0) AS version,
           coalesce((array_agg(a.hash ORDER BY a.stream_version DESC, a.id DESC))[1], '') AS hash,
           count(*)::int AS events,
           ${streamDigestSql('a.stream_version, a.id')} AS digest
    FROM audit_events a WHERE a.source = $1 AND a.stream_id COLLATE "C" = s.stream_id COLLATE "C") h
  ORDER BY s.stream_id COLLATE "C"`;

const sourcePattern = /^[a-z][a-z-]{0,39}$/;

function checkSource(source: string): void {
  if (!sourcePattern.test(source)) throw new DomainError('validation-failed', 'audit.source-invalid', 'source must be a context name');
}

/** `<version>.<copy row id>`: a version copied twice is two rows, so the version alone cannot resume a page. */
function decodeRowCursor(cursor: string): [number, string] {
  if (cursor === '') return [0, '0'];
  const match = /^(\d{1,9})\.(\d{1,19})$/.exec(cursor);
  if (!match) throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
  return [Number(match[1]), match[2]!];
}

@Controller()
export class CopiedStreamsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('AuditService', 'CopiedStreamHeads')
  async copiedStreamHeads(request: audit.CopiedStreamHeadsRequest): Promise<audit.CopiedStreamHeadsResponse> {
    checkSource(request.source);
    const size = reconcilePageLimit(request.limit, 200);
    const rows: Array<{ stream_id: string; version: number; hash: string; events: number; digest: string }> = await this.dataSource.query(
      copiedStreamHeadsSql,
      [request.source, request.after, size],
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

  @GrpcMethod('AuditService', 'CopiedStreamEvents')
  async copiedStreamEvents(request: audit.CopiedStreamEventsRequest): Promise<audit.CopiedStreamEventsResponse> {
    checkSource(request.source);
    if (!request.streamId) throw new DomainError('validation-failed', 'audit.stream-id-missing', 'streamId is required');
    const [version, id] = decodeRowCursor(request.cursor);
    const size = reconcilePageLimit(request.limit, 500);
    const rows: Array<{ id: string; version: number; event_id: string; hash: string }> = await this.dataSource.query(
      `SELECT id::text AS id, stream_version AS version, event_id::text AS event_id, hash FROM audit_events
       WHERE source = $2 AND stream_id COLLATE "C" = $1 AND (stream_version, id) > ($3, $4::bigint)
       ORDER BY stream_version, id LIMIT $5`,
      [request.streamId, request.source, version, id, size],
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => ({ version: row.version, eventId: row.event_id, hash: row.hash })),
      nextCursor: rows.length === size && last ? `${last.version}.${last.id}` : '',
    };
  }
}
