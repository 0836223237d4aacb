// Events, their outbox row (the stream and the versions appended) and the stream's new head in
// one statement: one round trip whatever the number of events, which travel as one JSON array
// beside the metadata they share. The head moves only from the version the decision was made on:
// the upsert waits for a concurrent writer's row lock and then checks the version it committed, so
// a stale decision writes nothing and answers false (the row stays locked by this transaction, so
// reading again and retrying cannot lose twice).
import type { EntityManager } from 'typeorm';
import { prepared, runPrepared } from '../../prepared.js';

const appendStatement = prepared(
  'append',
  `WITH head AS (
    INSERT INTO streams AS s (stream_id, version, last_hash) VALUES ($1, $5, $6)
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, updated_at = now()
      WHERE s.version = $9
    RETURNING 1
  ), appended AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash, recorded_at)
    SELECT e.event_id, $1, e.stream_version, e.type, e.schema_version, e.data, $10::jsonb, e.prev_hash, e.hash, $2
    FROM jsonb_to_recordset($3::jsonb)
      AS e(event_id uuid, stream_version int, type text, schema_version int, data jsonb, prev_hash text, hash text)
    WHERE EXISTS (SELECT FROM head)
  ), queued AS (
    INSERT INTO outbox (stream_id, from_version, to_version, topic) SELECT $1, $9 + 1, $5, $4 FROM head
  )
  SELECT EXISTS (SELECT FROM head) AS moved,
    (SELECT count(*) FROM (SELECT pg_notify($7, '') WHERE $8::boolean AND EXISTS (SELECT FROM head)) AS n) AS notified`,
);

export interface Append {
  streamId: string;
  /** The head the events were decided on: version 0 for a new stream. */
  fromVersion: number;
  /** The new head: its version and the last event's hash. */
  toVersion: number;
  lastHash: string;
  /**
   * The events, as one JSON array of {event_id, stream_version, type, schema_version, data,
   * prev_hash, hash} (the data as the canonical JSON that was hashed).
   */
  events: string;
  /** The metadata every event of the append shares, as JSON. */
  metadata: string;
  recordedAt: string;
  /** The Kafka topic the outbox row is for. */
  topic: string;
  /** Notify this channel if the head moved (outside a transaction: a transaction's wake-up comes after its commit). */
  notify: { channel: string; now: boolean };
}

/** Appends if the stream is still at `fromVersion`; answers false, having written nothing, if it has moved on. */
export async function appendToStream(tx: EntityManager, append: Append): Promise<boolean> {
  const [{ moved }] = (await runPrepared<{ moved: boolean }>(tx, appendStatement, [
    append.streamId,
    append.recordedAt,
    append.events,
    append.topic,
    append.toVersion,
    append.lastHash,
    append.notify.channel,
    append.notify.now,
    append.fromVersion,
    append.metadata,
  ])) as [{ moved: boolean }];
  return moved;
}
