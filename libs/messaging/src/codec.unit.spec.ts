import { describe, expect, it } from '@jest/globals';
import { decodeEventValue, encodeEventValue, encodeEventValues, toMessages } from './codec.js';
import type { EventEnvelope } from './envelope.js';

const released = (personId: string, mechanism: string, days: unknown): EventEnvelope => ({
  eventId: '01939f6e-7c1a-7000-8000-0000000000a1',
  streamId: `person-${personId}`,
  streamVersion: 3,
  type: 'PrisonerReleased',
  schemaVersion: 2,
  data: {
    personId,
    releasedAt: '2025-09-11T09:00:00.000Z',
    mechanism,
    batchId: '',
    daysOfSentenceRemaining: days,
    sentenceRemainingSource: 'stated',
  },
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
  it('decodes an event stored before a field was added (an older schema version) without that field, as it was stored and hashed', () => {
    const stored = released('p-old', 'pardon', 12);
    const { sentenceRemainingSource: _absent, ...before } = stored.data;
    const decoded = decodeEventValue('intake', encodeEventValue({ ...stored, schemaVersion: 1, data: before }));
    expect(decoded.data).toEqual(before);
  });

  it('never writes "undefined" for a field the data lacks, and keeps the field of an event of the version that has it', () => {
    const { sentenceRemainingSource: _absent, ...lacking } = released('p-new', 'pardon', 12).data;
    const decoded = decodeEventValue('intake', encodeEventValue({ ...released('p-new', 'pardon', 12), schemaVersion: 2, data: lacking }));
    expect(decoded.data).toEqual({ ...lacking, sentenceRemainingSource: '' });
    const current = released('p-2', 'pardon', 12);
    expect(decodeEventValue('intake', encodeEventValue({ ...current, schemaVersion: 2 })).data).toEqual(current.data);
  });

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

  it('encodes a batch as the values one by one would be, each its own buffer however long its length prefix', () => {
    // Lengths under 128, under 16,384 and above it: one, two and three bytes of prefix in the batch.
    const events = [
      released('p-1', 'pardon', 1),
      released('p-2', 'y'.repeat(600), 2),
      released('p-3', 'z'.repeat(20_000), 3),
      released('p-4', 'brokered', 4),
    ];
    const small = {
      ...events[0]!,
      eventId: '',
      occurredAt: '',
      recordedAt: '',
      actor: '',
      prevHash: '',
      hash: '',
      correlationId: '',
      causationId: '',
      streamId: 'p',
    };
    const values = encodeEventValues([small, ...events]);
    expect(values[0]!.byteLength).toBeLessThan(128);
    expect(values.map((value) => value.toString('hex'))).toEqual(
      [small, ...events].map((event) => encodeEventValue(event).toString('hex')),
    );
    expect(values.map((value) => decodeEventValue('intake', value))).toEqual([small, ...events]);
  });

  it('fails a batch with an event it cannot encode, and encodes the next batch whole', () => {
    expect(() => encodeEventValues([released('p-1', 'pardon', 1), released('p-2', 'pardon', 'not a number')])).toThrow();
    expect(() => encodeEventValues([{ ...released('p-3', 'pardon', 1), source: 'elsewhere' }])).toThrow(
      'no protobuf contract for context elsewhere',
    );
    const next = [released('p-4', 'pardon', 4), released('p-5', 'amnesty', 5)];
    expect(encodeEventValues(next).map((value) => decodeEventValue('intake', value))).toEqual(next);
  });

  it("makes messages keyed by subject with each event's own trace context", () => {
    const [first, second] = toMessages(
      [released('p-1', 'pardon', 1), released('p-2', 'pardon', 2)],
      ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    );
    expect(first!.key).toBe('p-1');
    expect(first!.headers['traceparent']).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(second!.key).toBe('p-2');
    expect(second!.headers).not.toHaveProperty('traceparent');
    expect(decodeEventValue('intake', second!.value).subject).toBe('p-2');
  });
});
