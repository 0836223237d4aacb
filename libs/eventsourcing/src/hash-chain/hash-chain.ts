// Per-stream hash chain: each event's hash covers its envelope, its data and the previous event's
// hash, in RFC 8785 canonical form, so that altering, removing or reordering a stored event is
// detectable by anyone holding the events (the audit service holds a copy of all of them).
import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@homeward/messaging';
import { uuidv7 } from '@homeward/observability';
import { canonicalJson } from './canonical-json.js';

export type Unhashed = Omit<EventEnvelope, 'hash'>;

/** `dataJson`: the data's canonical JSON, if the caller has it already. */
export function hashEvent(event: Unhashed, dataJson?: string): string {
  return createHash('sha256').update(canonicalEnvelope(event, dataJson)).digest('hex');
}

/**
 * The canonical form the hash covers: the envelope's fields (not the hash) and the data. The
 * envelope is written in its RFC 8785 member order directly (every append hashes each event, and
 * walking and sorting the envelope was most of that); an envelope with a field missing or of
 * another type takes the general path, which gives what the spec says for it.
 */
export function canonicalEnvelope(event: Unhashed, dataJson?: string): string {
  const {
    eventId,
    streamId,
    streamVersion,
    type,
    schemaVersion,
    data,
    occurredAt,
    recordedAt,
    actor,
    correlationId,
    causationId,
    subject,
    source,
    prevHash,
  } = event;
  const strings = [actor, causationId, correlationId, eventId, occurredAt, prevHash, recordedAt, source, streamId, subject, type];
  if (strings.every((field) => typeof field === 'string') && Number.isSafeInteger(schemaVersion) && Number.isSafeInteger(streamVersion)) {
    const q = JSON.stringify;
    return (
      `{"actor":${q(actor)},"causationId":${q(causationId)},"correlationId":${q(correlationId)},` +
      `"data":${dataJson ?? canonicalJson(data)},` +
      `"eventId":${q(eventId)},"occurredAt":${q(occurredAt)},"prevHash":${q(prevHash)},"recordedAt":${q(recordedAt)},` +
      `"schemaVersion":${schemaVersion},"source":${q(source)},"streamId":${q(streamId)},"streamVersion":${streamVersion},` +
      `"subject":${q(subject)},"type":${q(type)}}`
    );
  }
  return canonicalJson({
    eventId,
    streamId,
    streamVersion,
    type,
    schemaVersion,
    data,
    occurredAt,
    recordedAt,
    actor,
    correlationId,
    causationId,
    subject,
    source,
    prevHash,
  });
}

export interface ChainVerification {
  streamId: string;
  eventsChecked: number;
  valid: boolean;
  /** The first event whose stored hash, link or version does not hold. */
  firstBroken?: { eventId: string; streamVersion: number; reason: 'hash-mismatch' | 'broken-link' | 'version-gap' };
}

/** Verifies one stream's events, given in stream order. */
export function verifyChain(streamId: string, events: readonly EventEnvelope[]): ChainVerification {
  let prevHash = '';
  let expectedVersion = 1;
  for (const [index, event] of events.entries()) {
    const broken = (reason: NonNullable<ChainVerification['firstBroken']>['reason']): ChainVerification => ({
      streamId,
      eventsChecked: index + 1,
      valid: false,
      firstBroken: { eventId: event.eventId, streamVersion: event.streamVersion, reason },
    });
    if (event.streamVersion !== expectedVersion) return broken('version-gap');
    if (event.prevHash !== prevHash) return broken('broken-link');
    if (hashEvent(event) !== event.hash) return broken('hash-mismatch');
    prevHash = event.hash;
    expectedVersion += 1;
  }
  return { streamId, eventsChecked: events.length, valid: true };
}

type PublishedFields = Pick<Unhashed, 'type' | 'data' | 'source' | 'streamId' | 'subject'> & Partial<Unhashed>;

/**
 * An event as its context's relay publishes it, hashed: the first of its stream at this moment
 * unless the fields say otherwise. For tests that feed a consumer directly.
 */
export function publishedEvent(fields: PublishedFields): EventEnvelope {
  const at = new Date().toISOString();
  const unhashed: Unhashed = {
    eventId: uuidv7(),
    streamVersion: 1,
    schemaVersion: 1,
    occurredAt: at,
    recordedAt: at,
    actor: `${fields.source}-clerk`,
    correlationId: uuidv7(),
    causationId: uuidv7(),
    prevHash: '',
    ...fields,
  };
  return { ...unhashed, hash: hashEvent(unhashed) };
}
