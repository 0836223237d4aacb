// The stored copy of an event, read back: the envelope exactly as its producer published it, and
// the filter that search and export share (one WHERE clause, one order: the audit row id).
import type { audit } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { EventEnvelope } from '@homeward/messaging';

export interface AuditEventRow {
  id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  correlation_id: string;
  causation_id: string;
  subject: string;
  source: string;
  prev_hash: string;
  hash: string;
  topic: string;
  partition: number;
  kafka_offset: string;
  copied_at: Date;
}

export const auditEventColumns = `id, event_id, stream_id, stream_version, type, schema_version, data, occurred_at, recorded_at, actor,
  correlation_id, causation_id, subject, source, prev_hash, hash, topic, partition, kafka_offset, copied_at`;

/** The columns that hold the envelope as its producer published it. */
export type EnvelopeColumns = Pick<
  AuditEventRow,
  | 'event_id'
  | 'stream_id'
  | 'stream_version'
  | 'type'
  | 'schema_version'
  | 'data'
  | 'occurred_at'
  | 'recorded_at'
  | 'actor'
  | 'correlation_id'
  | 'causation_id'
  | 'subject'
  | 'source'
  | 'prev_hash'
  | 'hash'
>;

export function envelopeOf(row: EnvelopeColumns): EventEnvelope {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    subject: row.subject,
    source: row.source,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function auditEventOf(row: AuditEventRow): audit.AuditEvent {
  const { data, ...envelope } = envelopeOf(row);
  return {
    envelope,
    dataJson: JSON.stringify(data),
    topic: row.topic,
    partition: row.partition,
    offset: String(row.kafka_offset),
    copiedAt: row.copied_at.toISOString(),
  };
}

const timestamp = (value: string, name: string) => {
  if (value === '') return null;
  if (Number.isNaN(Date.parse(value)))
    throw new DomainError('validation-failed', `audit.${name}-invalid`, `${name} must be an RFC 3339 timestamp`);
  return value;
};

/** A position of the audit copy (a row id) as SubjectsOf hands it out: opaque to clients, digits here. */
export function positionOf(through: string): string {
  if (!/^\d{1,19}$/.test(through))
    throw new DomainError('validation-failed', 'audit.through-invalid', 'through must be a position SubjectsOf answered');
  return through;
}

/** The WHERE clause of a filter and its parameters, numbered from $1. */
export function whereOf(filter: audit.EventFilter | undefined): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const conditions: string[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    parameters.push(value);
    conditions.push(condition(`$${parameters.length}`));
  };
  if (filter?.personId) add((p) => `subject = ${p}`, filter.personId);
  if (filter?.streamId) add((p) => `stream_id = ${p}`, filter.streamId);
  if (filter?.type) add((p) => `type = ${p}`, filter.type);
  if (filter?.actor) add((p) => `actor = ${p}`, filter.actor);
  const from = timestamp(filter?.from ?? '', 'from');
  const to = timestamp(filter?.to ?? '', 'to');
  if (from) add((p) => `recorded_ts >= ${p}::timestamptz`, from);
  if (to) add((p) => `recorded_ts < ${p}::timestamptz`, to);
  if (filter?.through) add((p) => `id <= ${p}`, positionOf(filter.through));
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}
