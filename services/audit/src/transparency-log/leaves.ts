// What a leaf of the transparency log is: the RFC 8785 canonical JSON of one entry, an event as
// its producer published it or an access entry as audit stored it. The bytes are computed from the
// stored row whenever they are needed (for a bundle, a manifest), so the row and its leaf hash
// check each other: a row altered after it was logged no longer hashes to its leaf.
import { canonicalJson } from '@homeward/eventsourcing';
import type { EventEnvelope } from '@homeward/messaging';
import { leafHash } from '@homeward/transparency';
import { envelopeOf, type EnvelopeColumns } from '../audit-events.js';

export type LeafKind = 'event' | 'access';

export interface AccessLogRow {
  id: string;
  access_id: string;
  actor: string;
  roles: string[];
  person_id: string;
  person_ids: string[];
  fields: string[];
  at: Date;
  correlation_id: string;
  route: string;
}

export const accessLogColumns = 'id, access_id, actor, roles, person_id, person_ids, fields, at, correlation_id, route';

/** Rows written before person_ids existed hold their one person in person_id. */
export const personIdsOfRow = (row: AccessLogRow): string[] =>
  row.person_ids.length > 0 ? row.person_ids : row.person_id ? [row.person_id] : [];

/** An entry ready to append: which row it is and its bytes. */
export interface LogEntry {
  kind: LeafKind;
  entryId: string;
  bytes: Buffer;
}

const leafBytes = (kind: LeafKind, entry: object): Buffer => Buffer.from(canonicalJson({ kind, entry }), 'utf8');

export const eventLeaf = (envelope: EventEnvelope): LogEntry => ({
  kind: 'event',
  entryId: envelope.eventId,
  bytes: leafBytes('event', envelope),
});

export const eventRowLeaf = (row: EnvelopeColumns): LogEntry => eventLeaf(envelopeOf(row));

export const accessRowLeaf = (row: AccessLogRow): LogEntry => ({
  kind: 'access',
  entryId: row.access_id,
  bytes: leafBytes('access', {
    accessId: row.access_id,
    actor: row.actor,
    roles: row.roles,
    personIds: personIdsOfRow(row),
    fields: row.fields,
    at: row.at.toISOString(),
    correlationId: row.correlation_id,
    route: row.route,
  }),
});

export const hashOfEntry = (entry: LogEntry): Uint8Array => leafHash(entry.bytes);
