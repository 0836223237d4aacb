import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@homeward/messaging';
import { canonicalJson } from './canonical-json.js';
import { canonicalEnvelope, hashEvent, verifyChain, type Unhashed } from './hash-chain.js';

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

  // Hashes already stored must keep verifying: these were computed before the envelope got its
  // own writer, by the general canonical form.
  const awkward: Unhashed = {
    eventId: '01939f6e-7c1a-7000-8000-0000000000a1',
    streamId: 'person-\u00e9\u20ac',
    streamVersion: 7,
    type: 'PrisonerReleased',
    schemaVersion: 2,
    data: {
      personId: 'p-\ud83d\ude00',
      note: 'line\nbreak "quoted" \\ back',
      nested: { z: [1, 2.5, null, true], a: { '\u20ac': 'x', '\r': 'y' } },
      n: -0,
    },
    occurredAt: '2025-09-11T10:00:00.000Z',
    recordedAt: '2025-09-11T10:00:01.234Z',
    actor: 'case\u0007worker',
    correlationId: 'c-1',
    causationId: 'c-0',
    subject: 'p-1',
    source: 'intake',
    prevHash: 'ab'.repeat(32),
  };

  it('hashes as it always has (known answers, escapes and astral characters included)', () => {
    expect(hashEvent(awkward)).toBe('f861ed2a8a4702326da3d2c0545bfb170c3fc5da4156665b7c7ec688cfebd6e0');
    expect(hashEvent({ ...awkward, causationId: undefined as unknown as string })).toBe(
      '3291f8e93632bd2ee7cd5f42bd1c89b9fcc7438560bb484c76150d9df6192743',
    );
  });

  it('writes the envelope exactly as the general canonical form does', () => {
    const { hash: _hash, ...unhashed } = chain(1)[0]!;
    for (const event of [awkward, unhashed, { ...awkward, streamVersion: 1.5 }, { ...awkward, subject: 42 as unknown as string }]) {
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
      expect(canonicalEnvelope(event)).toBe(
        canonicalJson({
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
        }),
      );
    }
  });
});
