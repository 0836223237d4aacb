import { describe, expect, it } from '@jest/globals';
import { decodeEventValue, encodeEventValue } from './codec.js';
import type { EventEnvelope } from './envelope.js';

const released = (personId: string, mechanism: string, days: unknown): EventEnvelope => ({
  eventId: '01939f6e-7c1a-7000-8000-0000000000a1',
  streamId: `person-${personId}`,
  streamVersion: 3,
  type: 'PrisonerReleased',
  schemaVersion: 1,
  data: { personId, releasedAt: '2025-09-11T09:00:00.000Z', mechanism, batchId: '', daysOfSentenceRemaining: days },
  occurredAt: '2025-09-11T10:00:00.000Z',
  recordedAt: '2025-09-11T10:00:01.000Z',
  actor: 'caseworker-test',
  correlationId: 'c-1',
  causationId: 'c-0',
  subject: personId,
  source: 'intake',
  prevHash: 'ab'.repeat(32),
  hash: 'cd'.repeat(32),
});

describe('event value codec', () => {
  it('encodes one event after another with nothing carried over, even after an encode that failed', () => {
    const long = released('p-long', 'x'.repeat(5_000), 12);
    const short = released('p-2', 'pardon', 0);
    const longBytes = encodeEventValue(long);
    expect(() => encodeEventValue(released('p-3', 'pardon', 'not a number'))).toThrow();
    const shortBytes = encodeEventValue(short);
    expect(shortBytes.byteLength).toBeLessThan(longBytes.byteLength / 10);
    expect(decodeEventValue('intake', longBytes)).toEqual(long);
    expect(decodeEventValue('intake', shortBytes)).toEqual(short);
    expect(encodeEventValue(short)).toEqual(shortBytes);
  });
});
