// One context's own store against audit's copy of it, a page at a time on both sides: a merge-join
// of the two lists of stream sums (both in stream id byte order), and for each stream whose sums
// differ, a merge of the two lists of events in version order that names every event
//   missing   in the store, not in the copy;
//   extra     in the copy, not in the store;
//   different at the same stream and version, under another event id or hash;
// and apart from them, pending: the newest events of a stream, recorded less than a grace period
// ago, that the copy does not hold yet because they are still on their way (outbox, topic,
// audit's consumer). Nothing here keeps more than a page of each side, the counts, and the first
// few discrepancies of each kind.

export type DiscrepancyKind = 'missing' | 'extra' | 'different';
export type ReportedKind = DiscrepancyKind | 'pending';
export const discrepancyKinds: readonly DiscrepancyKind[] = ['missing', 'extra', 'different'];

export interface StreamSums {
  streamId: string;
  version: number;
  hash: string;
  events: number;
  digest: string;
}

export interface EventRef {
  version: number;
  eventId: string;
  hash: string;
}

export interface StoredEvent extends EventRef {
  recordedAt: string;
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string;
}

/** One context's two sides. A store cursor is the last version sent (AdminService.StreamEvents). */
export interface Sides {
  storeHeads(after: string): Promise<Page<StreamSums>>;
  copyHeads(after: string): Promise<Page<StreamSums>>;
  storeEvents(streamId: string, cursor: string): Promise<Page<StoredEvent>>;
  copyEvents(streamId: string, cursor: string): Promise<Page<EventRef>>;
}

export interface Discrepancy {
  kind: ReportedKind;
  streamId: string;
  version: number;
  /** The store's event; "" when extra. */
  eventId: string;
  /** The copy's row; "" when missing or pending. */
  copyEventId: string;
}

export interface ContextReport {
  /** Streams looked at, in the store, the copy or both. */
  streams: number;
  /** Store events compared with the copy. */
  events: number;
  missing: number;
  extra: number;
  different: number;
  pending: number;
  /** Versions the copy holds more than once (a context republished a changed event). */
  duplicateVersions: number;
  /** The first few of each kind, in the order found. */
  samples: Discrepancy[];
}

export interface ReconcileOptions {
  /** Events recorded less than this long ago, at a stream's tail, are pending, not missing. */
  graceMs: number;
  now?: () => number;
  samplesPerKind?: number;
  /** Called after each stream, with the report so far (progress). */
  onProgress?: (report: ContextReport) => void;
}

export const emptyReport = (): ContextReport => ({
  streams: 0,
  events: 0,
  missing: 0,
  extra: 0,
  different: 0,
  pending: 0,
  duplicateVersions: 0,
  samples: [],
});

/** Byte order of the UTF-8 bytes, as both databases order stream ids (COLLATE "C"). */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const sameSums = (a: StreamSums, b: StreamSums) =>
  a.version === b.version && a.hash === b.hash && a.events === b.events && a.digest === b.digest;
const sameEvent = (a: EventRef, b: EventRef) => a.eventId === b.eventId && a.hash === b.hash;

/**
 * A list read a page at a time. `reads` numbers every page fetched on either side of a merge, so
 * the merge can tell which side it read last.
 */
class Pager<Item> {
  private items: Item[] = [];
  private index = 0;
  private cursor = '';
  private exhausted = false;
  lastRead = 0;

  constructor(
    private readonly fetch: (cursor: string) => Promise<Page<Item>>,
    private readonly reads: { count: number },
    private readonly cursorAfter?: (item: Item) => string,
  ) {}

  async peek(): Promise<Item | undefined> {
    while (this.index >= this.items.length && !this.exhausted) {
      const page = await this.fetch(this.cursor);
      this.lastRead = ++this.reads.count;
      this.items = page.items;
      this.index = 0;
      this.exhausted = page.nextCursor === '';
      if (!this.exhausted) this.cursor = page.nextCursor;
    }
    return this.items[this.index];
  }

  advance(): void {
    if (this.cursorAfter && this.index < this.items.length) this.cursor = this.cursorAfter(this.items[this.index]!);
    this.index += 1;
  }

  /** Reads on after the last item taken (a list with cursorAfter), once more: it may have grown since it ended. */
  reopen(): void {
    this.exhausted = false;
  }
}

export async function reconcileContext(sides: Sides, options: ReconcileOptions): Promise<ContextReport> {
  const report = emptyReport();
  const now = options.now ?? Date.now;
  const samplesPerKind = options.samplesPerKind ?? 10;
  const sampled = new Map<ReportedKind, number>();
  const add = (discrepancy: Discrepancy) => {
    report[discrepancy.kind] += 1;
    const taken = sampled.get(discrepancy.kind) ?? 0;
    if (taken < samplesPerKind) {
      report.samples.push(discrepancy);
      sampled.set(discrepancy.kind, taken + 1);
    }
  };

  /**
   * One stream's events, both sides merged by version. The copy's page is always read before the
   * store's page it is compared with: every event the copy holds was in the store before it was
   * copied, so a store read after the copy holds it too, and an event appended and copied while
   * the run reads is never mistaken for extra. When the store's list ends before the copy's, the
   * store is read once more after the copy's latest page for the same reason.
   *
   * In-flight events: a store event the copy lacks is missing when the copy holds a later version
   * of the stream (a stream is copied in order), or when it was recorded longer ago than the grace
   * period; otherwise it is pending, reported apart and in no discrepancy metric. The newest events
   * of a busy stream are thus never called missing, and an event deleted from the copy is named
   * missing once the grace has passed, or at once if any later event of its stream was copied.
   */
  const narrow = async (streamId: string) => {
    const reads = { count: 0 };
    const copy = new Pager((cursor) => sides.copyEvents(streamId, cursor), reads);
    const store = new Pager(
      (cursor) => sides.storeEvents(streamId, cursor),
      reads,
      (event: StoredEvent) => String(event.version),
    );
    // Recent store events without a copy, after the last copied version: pending unless a later copy row turns up.
    let recent: StoredEvent[] = [];
    const confirmRecent = () => {
      for (const event of recent) add({ kind: 'missing', streamId, version: event.version, eventId: event.eventId, copyEventId: '' });
      recent = [];
    };
    for (;;) {
      let copied = await copy.peek();
      let stored = await store.peek();
      if (!stored && copied && store.lastRead < copy.lastRead) {
        store.reopen();
        stored = await store.peek();
      }
      if (!stored && !copied) break;
      if (stored && (!copied || stored.version < copied.version)) {
        report.events += 1;
        if (now() - Date.parse(stored.recordedAt) < options.graceMs) recent.push(stored);
        else add({ kind: 'missing', streamId, version: stored.version, eventId: stored.eventId, copyEventId: '' });
        store.advance();
        continue;
      }
      confirmRecent();
      if (!stored || copied!.version < stored.version) {
        add({ kind: 'extra', streamId, version: copied!.version, eventId: '', copyEventId: copied!.eventId });
        copy.advance();
        continue;
      }
      // The same version on both sides: every copy row of it against the store's one event.
      let rows = 0;
      while (copied && copied.version === stored.version) {
        rows += 1;
        if (!sameEvent(copied, stored))
          add({ kind: 'different', streamId, version: stored.version, eventId: stored.eventId, copyEventId: copied.eventId });
        copy.advance();
        copied = await copy.peek();
      }
      if (rows > 1) report.duplicateVersions += 1;
      report.events += 1;
      store.advance();
    }
    for (const event of recent) add({ kind: 'pending', streamId, version: event.version, eventId: event.eventId, copyEventId: '' });
  };

  // The heads, merged by stream id; the copy's page first, as above (equal sums need no order).
  const reads = { count: 0 };
  const copyHeads = new Pager((after) => sides.copyHeads(after), reads);
  const storeHeads = new Pager((after) => sides.storeHeads(after), reads);
  for (;;) {
    const copied = await copyHeads.peek();
    const stored = await storeHeads.peek();
    if (!copied && !stored) break;
    const order = !copied ? -1 : !stored ? 1 : byteOrder(stored.streamId, copied.streamId);
    report.streams += 1;
    if (order === 0 && sameSums(stored!, copied!)) {
      report.events += stored!.events;
    } else {
      await narrow(order <= 0 ? stored!.streamId : copied!.streamId);
    }
    if (order <= 0) storeHeads.advance();
    if (order >= 0) copyHeads.advance();
    options.onProgress?.(report);
  }
  return report;
}
