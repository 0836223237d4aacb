// A row of the `events` table as the statements that read it select it, and the envelope it
// becomes. The one place the columns are named in that order.
import type { EventEnvelope } from '@homeward/messaging';

export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Pick<EventEnvelope, 'occurredAt' | 'recordedAt' | 'actor' | 'correlationId' | 'causationId' | 'subject' | 'source'> & {
    traceparent?: string;
  };
  prev_hash: string;
  hash: string;
}

/** The columns of an EventRow, for a SELECT of the events table. */
export const eventColumns = 'global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash';

export function rowToEnvelope(row: EventRow): EventEnvelope & { globalPosition: string } {
  // Field by field, not by rest and spread: the relay turns every queued event into one of these.
  const metadata = row.metadata;
  return {
    globalPosition: row.global_position,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    occurredAt: metadata.occurredAt,
    recordedAt: metadata.recordedAt,
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    subject: metadata.subject,
    source: metadata.source,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
