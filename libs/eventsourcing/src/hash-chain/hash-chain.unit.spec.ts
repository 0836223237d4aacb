import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@homeward/messaging';
import { hashEvent, verifyChain } from './hash-chain.js';

function chain(count: number): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  let prevHash = '';
  for (let version = 1; version <= count; version += 1) {
    const unhashed = {
      eventId: `00000000-0000-7000-8000-00000000000${version}`,
      streamId: 'person-1',
      streamVersion: version,
      type: 'PrisonerReleased',
      schemaVersion: 1,
      data: { personId: 'p-1', daysOfSentenceRemaining: version * 10 },
      occurredAt: '2025-09-11T10:00:00.000Z',
      recordedAt: '2025-09-11T10:00:01.000Z',
      actor: 'caseworker-1',
      correlationId: 'c-1',
      causationId: 'c-1',
      subject: 'p-1',
      source: 'intake',
      prevHash,
    };
    const hash = hashEvent(unhashed);
    events.push({ ...unhashed, hash });
    prevHash = hash;
  }
  return events;
}

describe('hash chain', () => {
  it('verifies an untouched stream', () => {
    expect(verifyChain('person-1', chain(4))).toEqual({ streamId: 'person-1', eventsChecked: 4, valid: true });
  });

  it('does not depend on member order in the data', () => {
    const [event] = chain(1);
    const reordered = { ...event!, data: { daysOfSentenceRemaining: 10, personId: 'p-1' } };
    expect(hashEvent(reordered)).toBe(event!.hash);
  });

  it('names the first altered event', () => {
    const events = chain(4);
    events[2] = { ...events[2]!, data: { ...events[2]!.data, daysOfSentenceRemaining: 999 } };
    expect(verifyChain('person-1', events).firstBroken).toEqual({ eventId: events[2]!.eventId, streamVersion: 3, reason: 'hash-mismatch' });
  });

  it('detects a removed event and a rewritten link', () => {
    const events = chain(4);
    expect(verifyChain('person-1', [events[0]!, events[2]!, events[3]!]).firstBroken?.reason).toBe('version-gap');
    const relinked = chain(3);
    relinked[1] = { ...relinked[1]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain('person-1', relinked).firstBroken).toMatchObject({ streamVersion: 2, reason: 'broken-link' });
  });
});
