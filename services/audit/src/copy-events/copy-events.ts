// The consumer's handler: every event of every context, copied verbatim with its Kafka position,
// and its place in its stream's hash chain checked against the last event seen of that stream.
// An event that does not follow is stored all the same, and a chain_breaks row names it. Each
// event copied for the first time becomes the next leaf of the transparency log, in the same transaction.
import { hashEvent, prepared, runPrepared } from '@homeward/eventsourcing';
import type { ConsumedEvent } from '@homeward/messaging';
import type { EntityManager } from 'typeorm';
import { eventRowLeaf } from '../transparency-log/leaves.js';
import { appendToLog } from '../transparency-log/log-store.js';

export type BreakReason = 'hash-mismatch' | 'broken-link' | 'version-gap';

/** Why `event` does not follow the stream's head, or null when it does. */
export function chainBreakOf(event: ConsumedEvent, head: { lastVersion: number; lastHash: string } | undefined): BreakReason | null {
  const expectedVersion = (head?.lastVersion ?? 0) + 1;
  if (event.streamVersion !== expectedVersion) return 'version-gap';
  if (event.prevHash !== (head?.lastHash ?? '')) return 'broken-link';
  const { position: _position, hash, ...unhashed } = event;
  if (hashEvent(unhashed) !== hash) return 'hash-mismatch';
  return null;
}

interface Head {
  lastVersion: number;
  lastHash: string;
}

// The batch travels as one JSON array: one JSON.stringify instead of 18 escaped arrays.
const copyStatement = prepared(
  'audit_copy',
  `INSERT INTO audit_events (event_id, stream_id, stream_version, type, schema_version, data, occurred_at, recorded_at, recorded_ts,
     actor, correlation_id, causation_id, subject, source, prev_hash, hash, topic, partition, kafka_offset)
   SELECT event_id, stream_id, stream_version, type, schema_version, data, occurred_at, recorded_at, recorded_at::timestamptz,
     actor, correlation_id, causation_id, subject, source, prev_hash, hash, topic, partition, kafka_offset
   FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
     AS (event_id uuid, stream_id text, stream_version int, type text, schema_version int, data jsonb, occurred_at text, recorded_at text,
         actor text, correlation_id text, causation_id text, subject text, source text, prev_hash text, hash text, topic text, partition int,
         kafka_offset bigint)) WITH ORDINALITY
     AS e(event_id, stream_id, stream_version, type, schema_version, data, occurred_at, recorded_at, actor, correlation_id, causation_id,
          subject, source, prev_hash, hash, topic, partition, kafka_offset, n)
   ORDER BY n
   ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
);
const lockHeadsStatement = prepared(
  'audit_lock_heads',
  `SELECT stream_id, last_version, last_hash FROM stream_heads WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE`,
);
const moveHeadsStatement = prepared(
  'audit_move_heads',
  `INSERT INTO stream_heads (stream_id, last_version, last_hash)
   SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
   ON CONFLICT (stream_id) DO UPDATE SET last_version = EXCLUDED.last_version, last_hash = EXCLUDED.last_hash
   WHERE stream_heads.last_version < EXCLUDED.last_version`,
);

/**
 * Copies a batch in a fixed number of statements, whatever its size: the copies (in the order
 * they came), one lock on the heads of the streams they extend, the breaks found, the new heads.
 */
export async function copyEvents(tx: EntityManager, events: ConsumedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({
    event_id: e.eventId,
    stream_id: e.streamId,
    stream_version: e.streamVersion,
    type: e.type,
    schema_version: e.schemaVersion,
    data: e.data,
    occurred_at: e.occurredAt,
    recorded_at: e.recordedAt,
    actor: e.actor,
    correlation_id: e.correlationId,
    causation_id: e.causationId,
    subject: e.subject,
    source: e.source,
    prev_hash: e.prevHash,
    hash: e.hash,
    topic: e.position.topic,
    partition: e.position.partition,
    kafka_offset: e.position.offset,
  }));
  const inserted = await runPrepared<{ event_id: string }>(tx, copyStatement, [JSON.stringify(rows)]);
  // Already copied (a republished event): stored once, judged once.
  const copied = new Set(inserted.map((row) => row.event_id));
  const fresh = events.filter((event) => copied.has(event.eventId));
  if (fresh.length === 0) return;
  // One leaf per event even if the batch carried it twice: the copy stored it once.
  const freshRows = [...new Map(rows.filter((row) => copied.has(row.event_id)).map((row) => [row.event_id, row])).values()];

  const streamIds = [...new Set(fresh.map((event) => event.streamId))].sort();
  const locked = await runPrepared<{ stream_id: string; last_version: number; last_hash: string }>(tx, lockHeadsStatement, [streamIds]);
  const heads = new Map<string, Head>(locked.map((row) => [row.stream_id, { lastVersion: row.last_version, lastHash: row.last_hash }]));
  const breaks: Array<{ event: ConsumedEvent; reason: BreakReason }> = [];
  const moved = new Set<string>();
  for (const event of fresh) {
    const head = heads.get(event.streamId);
    const reason = chainBreakOf(event, head);
    if (reason) breaks.push({ event, reason });
    // A head only moves forward: an event older than the head is judged, not followed.
    if (!head || head.lastVersion < event.streamVersion) {
      heads.set(event.streamId, { lastVersion: event.streamVersion, lastHash: event.hash });
      moved.add(event.streamId);
    }
  }
  if (breaks.length > 0) {
    await tx.query(
      `INSERT INTO chain_breaks (stream_id, event_id, stream_version, reason)
       SELECT stream_id, event_id, stream_version, reason
       FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) WITH ORDINALITY AS b(stream_id, event_id, stream_version, reason, n) ORDER BY n`,
      [
        breaks.map((b) => b.event.streamId),
        breaks.map((b) => b.event.eventId),
        breaks.map((b) => b.event.streamVersion),
        breaks.map((b) => b.reason),
      ],
    );
  }
  const updates = [...moved].map((streamId) => ({ streamId, ...heads.get(streamId)! }));
  await runPrepared(tx, moveHeadsStatement, [
    updates.map((u) => u.streamId),
    updates.map((u) => u.lastVersion),
    updates.map((u) => u.lastHash),
  ]);
  await appendToLog(tx, freshRows.map(eventRowLeaf));
}
