// Per-stream hash chain: each event's hash covers its envelope, its data and the previous event's
// hash, in RFC 8785 canonical form, so that altering, removing or reordering a stored event is
// detectable by anyone holding the events (the audit service holds a copy of all of them).
import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@homeward/messaging';
import { canonicalJson } from './canonical-json.js';

export type Unhashed = Omit<EventEnvelope, 'hash'>;

export function hashEvent(event: Unhashed): string {
  const { eventId, streamId, streamVersion, type, schemaVersion, data, occurredAt, recordedAt, actor, correlationId, causationId, subject, source, prevHash } = event;
  const canonical = canonicalJson({ eventId, streamId, streamVersion, type, schemaVersion, data, occurredAt, recordedAt, actor, correlationId, causationId, subject, source, prevHash });
  return createHash('sha256').update(canonical).digest('hex');
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
