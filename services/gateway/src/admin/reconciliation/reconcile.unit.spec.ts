// The merge of a context's store with audit's copy, given two sides in memory read in pages of
// two: what it names missing, extra, different or pending, and that it never reads more than it
// must nor mistakes a race for a discrepancy.
import { describe, expect, it } from '@jest/globals';
import { byteOrder, reconcileContext, type EventRef, type Page, type Sides, type StoredEvent, type StreamSums } from './reconcile.js';

const now = Date.parse('2025-10-01T12:00:00Z');
const old = '2025-10-01T11:00:00.000Z';
const recently = '2025-10-01T11:59:58.000Z';
const graceMs = 30_000;

const id = (stream: string, version: number, variant = '') => `${stream}-v${version}${variant}`;
const stored = (stream: string, versions: number, recordedAt = old): StoredEvent[] =>
  Array.from({ length: versions }, (_, i) => ({ version: i + 1, eventId: id(stream, i + 1), hash: `h-${id(stream, i + 1)}`, recordedAt }));
const refs = (events: EventRef[]): EventRef[] => events.map(({ version, eventId, hash }) => ({ version, eventId, hash }));

const sumsOf = (streamId: string, events: EventRef[]): StreamSums => ({
  streamId,
  version: Math.max(0, ...events.map((event) => event.version)),
  hash: events.at(-1)?.hash ?? '',
  events: events.length,
  digest: events.map((event) => `${event.version} ${event.eventId} ${event.hash}`).join('\n'),
});

function page<Item>(items: Item[], start: number, size: number, cursorOf: (item: Item) => string): Page<Item> {
  const slice = items.slice(start, start + size);
  return { items: slice, nextCursor: slice.length === size ? cursorOf(slice[slice.length - 1]!) : '' };
}

/** Two sides in memory, pages of `size` (the store's events in pages of `storeSize`), every call recorded. */
function sidesOf(store: Map<string, StoredEvent[]>, copy: Map<string, EventRef[]>, size = 2, storeSize = size) {
  const calls: string[] = [];
  const heads = (streams: Map<string, EventRef[]>, after: string) => {
    const all = [...streams.keys()].sort(byteOrder).map((streamId) => sumsOf(streamId, streams.get(streamId)!));
    return page(
      all.filter((head) => byteOrder(head.streamId, after) > 0),
      0,
      size,
      (head) => head.streamId,
    );
  };
  const sides: Sides = {
    storeHeads: async (after) => (calls.push(`store heads ${after}`), heads(store, after)),
    copyHeads: async (after) => (calls.push(`copy heads ${after}`), heads(copy, after)),
    storeEvents: async (streamId, cursor) => {
      calls.push(`store events ${streamId} ${cursor}`);
      const events = store.get(streamId) ?? [];
      return page(
        events.filter((event) => event.version > Number(cursor || 0)),
        0,
        storeSize,
        (event) => String(event.version),
      );
    },
    copyEvents: async (streamId, cursor) => {
      calls.push(`copy events ${streamId} ${cursor}`);
      const rows = (copy.get(streamId) ?? []).map((row, index) => ({ row, index }));
      const start = cursor === '' ? 0 : Number(cursor) + 1;
      const slice = rows.slice(start, start + size);
      return { items: slice.map(({ row }) => row), nextCursor: slice.length === size ? String(slice.at(-1)!.index) : '' };
    },
  };
  return { sides, calls };
}

const reconcile = (sides: Sides, samplesPerKind?: number) => reconcileContext(sides, { graceMs, now: () => now, samplesPerKind });

describe('reconciling a context with its copy', () => {
  describe('given the same events on both sides', () => {
    it('reports nothing, and reads only the sums, never an event', async () => {
      const streams = ['person-b', 'Person-Z', 'persona', 'person-a', 'case-1'].map(
        (streamId, i) => [streamId, stored(streamId, i + 1)] as const,
      );
      const { sides, calls } = sidesOf(new Map(streams), new Map(streams.map(([streamId, events]) => [streamId, refs(events)])));
      expect(await reconcile(sides)).toEqual({
        streams: 5,
        events: 15,
        missing: 0,
        extra: 0,
        different: 0,
        pending: 0,
        duplicateVersions: 0,
        samples: [],
      });
      expect(calls.filter((call) => call.includes('events'))).toEqual([]);
      // Byte order (Person-Z, case-1, person-a, person-b, persona), the copy's page read before the store's.
      expect(calls).toEqual([
        'copy heads ',
        'store heads ',
        'copy heads case-1',
        'store heads case-1',
        'copy heads person-b',
        'store heads person-b',
      ]);
    });
  });

  describe('given a copy that lacks events', () => {
    it('names an event the copy skipped missing, however recent, when a later one was copied', async () => {
      const events = stored('s', 4, recently);
      const { sides } = sidesOf(new Map([['s', events]]), new Map([['s', refs([events[0]!, events[2]!, events[3]!])]]));
      expect(await reconcile(sides)).toMatchObject({
        streams: 1,
        events: 4,
        missing: 1,
        pending: 0,
        samples: [{ kind: 'missing', streamId: 's', version: 2, eventId: 's-v2', copyEventId: '' }],
      });
    });

    it('names the newest events pending while they are within the grace period, missing after it', async () => {
      const events = [...stored('s', 3), ...stored('s', 5, recently).slice(3)];
      const { sides } = sidesOf(new Map([['s', events]]), new Map([['s', refs(events.slice(0, 2))]]));
      const report = await reconcile(sides);
      expect(report).toMatchObject({ missing: 1, pending: 2, extra: 0, different: 0 });
      expect(report.samples).toEqual([
        { kind: 'missing', streamId: 's', version: 3, eventId: 's-v3', copyEventId: '' },
        { kind: 'pending', streamId: 's', version: 4, eventId: 's-v4', copyEventId: '' },
        { kind: 'pending', streamId: 's', version: 5, eventId: 's-v5', copyEventId: '' },
      ]);
    });

    it('names every event of a stream the copy never received missing, or pending while recent', async () => {
      const { sides } = sidesOf(
        new Map([
          ['a', stored('a', 3)],
          ['b', stored('b', 1, recently)],
        ]),
        new Map(),
      );
      expect(await reconcile(sides)).toMatchObject({ streams: 2, events: 4, missing: 3, pending: 1 });
    });
  });

  describe('given a copy that holds more', () => {
    it('names a copied event the store lacks extra, at the tail, in a gap, or in a stream the store does not have', async () => {
      const events = stored('s', 3);
      const forged = { version: 4, eventId: 'forged', hash: 'h-forged' };
      const store = new Map([['s', [events[0]!, events[2]!]]]);
      const copy = new Map([
        ['s', [...refs(events), forged]],
        ['t', [{ version: 1, eventId: 'only-copied', hash: 'h' }]],
      ]);
      const report = await reconcile(sidesOf(store, copy).sides);
      expect(report).toMatchObject({ streams: 2, events: 2, extra: 3, missing: 0, different: 0 });
      expect(report.samples.map(({ streamId, version, copyEventId }) => [streamId, version, copyEventId])).toEqual([
        ['s', 2, 's-v2'],
        ['s', 4, 'forged'],
        ['t', 1, 'only-copied'],
      ]);
    });

    it('does not call extra an event appended and copied while it reads: the store is read again after the copy', async () => {
      const events = stored('s', 3);
      const store = new Map([['s', events.slice(0, 2)]]);
      const copy = new Map([['s', refs(events.slice(0, 2))]]);
      const { sides, calls } = sidesOf(store, copy, 2, 3);
      // The store's list has ended (a short page), then v3 is appended and copied before the copy's next page.
      const copyEvents = sides.copyEvents;
      sides.copyEvents = async (streamId, cursor) => {
        if (cursor !== '') {
          store.set('s', events);
          copy.set('s', refs(events));
        }
        return copyEvents(streamId, cursor);
      };
      // Sums that differ make it look closer.
      sides.storeHeads = async () => ({ items: [sumsOf('s', events.slice(0, 1))], nextCursor: '' });
      expect(await reconcile(sides)).toMatchObject({ events: 3, missing: 0, extra: 0, different: 0, pending: 0 });
      expect(calls.filter((call) => call.includes('events'))).toEqual([
        'copy events s ',
        'store events s ',
        'copy events s 1',
        'store events s 2',
      ]);
    });
  });

  describe('given events that differ', () => {
    it('names a version whose event id or hash differs different, with both ids', async () => {
      const events = stored('s', 3);
      const copy = refs(events).map((event) =>
        event.version === 2 ? { ...event, hash: 'changed' } : event.version === 3 ? { ...event, eventId: 'other' } : event,
      );
      const report = await reconcile(sidesOf(new Map([['s', events]]), new Map([['s', copy]])).sides);
      expect(report).toMatchObject({ events: 3, different: 2, missing: 0, extra: 0 });
      expect(report.samples).toEqual([
        { kind: 'different', streamId: 's', version: 2, eventId: 's-v2', copyEventId: 's-v2' },
        { kind: 'different', streamId: 's', version: 3, eventId: 's-v3', copyEventId: 'other' },
      ]);
    });

    it('counts a version copied twice, and names the copy the store does not hold different', async () => {
      const events = stored('s', 3);
      const republished = { version: 2, eventId: 'republished', hash: 'h-republished' };
      const copy = [refs(events)[0]!, republished, refs(events)[1]!, refs(events)[2]!];
      const report = await reconcile(sidesOf(new Map([['s', events]]), new Map([['s', copy]])).sides);
      expect(report).toMatchObject({ events: 3, different: 1, duplicateVersions: 1, missing: 0, extra: 0 });
      expect(report.samples).toEqual([{ kind: 'different', streamId: 's', version: 2, eventId: 's-v2', copyEventId: 'republished' }]);
    });
  });

  it('keeps the first few of each kind and counts them all', async () => {
    const store = new Map(Array.from({ length: 30 }, (_, i) => [`s${String(i).padStart(2, '0')}`, stored(`s${i}`, 2)] as const));
    const report = await reconcile(sidesOf(store, new Map()).sides, 3);
    expect(report).toMatchObject({ streams: 30, events: 60, missing: 60 });
    expect(report.samples).toHaveLength(3);
  });

  it('reports progress after each stream', async () => {
    const streams = new Map([
      ['a', stored('a', 1)],
      ['b', stored('b', 1)],
      ['c', stored('c', 1)],
    ]);
    const seen: number[] = [];
    await reconcileContext(sidesOf(streams, new Map([...streams].map(([key, events]) => [key, refs(events)]))).sides, {
      graceMs,
      now: () => now,
      onProgress: (report) => seen.push(report.streams),
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});
