// The one event store: load a stream, run a pure decider, and append in ONE transaction with the
// outbox rows, the inline read models and the idempotency record. Appends are optimistic: the
// stream is read without a lock, and the append moves the `streams` head only from the version
// that was read (one statement, which takes the head row's lock), so versions, hash links and
// outbox order still follow commit order, and a writer that lost the race reads again.
import { createHash, createHmac } from 'node:crypto';
import { DomainError, fold, type Decider } from '@homeward/decider';
import type { EventEnvelope } from '@homeward/messaging';
import { uuidv7 } from '@homeward/observability';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../hash-chain/canonical-json.js';
import { hashEvent } from '../hash-chain/hash-chain.js';
import { applyToDocuments } from '../projections/document-projection.js';
import type {
  AppendResult,
  CommandContext,
  DomainEvent,
  EventStoreOptions,
  HandleOptions,
  StreamTarget,
  TargetOf,
} from './event-store.types.js';
import { OUTBOX_CHANNEL, OutboxWakeUp } from './outbox-wake-up.js';
import { assertPublishable } from './publishable.js';
import { appendToStream } from './schema/append-to-stream.js';
import { claimIdempotencyKey } from './schema/claim-idempotency-key.js';
import { forgetRequests } from './schema/forget-requests.js';
import { readStream } from './schema/read-stream.js';
import { recordIdempotentResult } from './schema/record-idempotent-result.js';
import { streamSubject } from './schema/stream-subject.js';
import { streamVersion } from './schema/stream-version.js';
import { subjectsOfEvents } from './schema/subjects-of-events.js';
import { currentSchemaVersion, upcast } from './upcasting.js';

export type * from './event-store.types.js';
export { OUTBOX_CHANNEL } from './outbox-wake-up.js';
export { UnpublishableEventError } from './publishable.js';

/** Fingerprint of the request behind an Idempotency-Key: same key + same request = same answer. Keyed (HMAC) when given a key. */
export function requestHash(request: unknown, key?: Buffer): string {
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(canonicalJson(request)).digest('hex');
}

/** A writer that lost the race for a stream's head holds its lock, so one more attempt wins. */
const APPEND_ATTEMPTS = 3;

const versionConflict = (expected: number, actual: number) =>
  new DomainError('version-conflict', 'stream.version-conflict', `expected version ${expected}, stream is at ${actual}`);

export class EventStore {
  constructor(
    readonly dataSource: DataSource,
    readonly options: EventStoreOptions,
  ) {}

  /** Reads a stream in order, upcast to the current schema versions (raw: as stored). */
  async readStream(streamId: string, { raw = false, tx = this.dataSource.manager }: { raw?: boolean; tx?: EntityManager } = {}) {
    const events = await readStream(tx, streamId);
    return raw ? events : events.map((event) => upcast(event, this.options.upcasters));
  }

  /**
   * Runs `decider.decide(command, state)` against the stream and appends what it decides, in a
   * transaction of its own: `options.check` first, `options.alongside` once the append is done.
   */
  handle<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    command: Command,
    target: TargetOf,
    context: CommandContext,
    options: HandleOptions = {},
  ): Promise<AppendResult> {
    return this.dataSource.transaction((tx) => this.handleIn(tx, decider, command, target, context, options));
  }

  /** The subject of a stream (what its first event was appended about); null for a stream with no events. */
  async subjectOf(tx: EntityManager, streamId: string): Promise<string | null> {
    return streamSubject(tx, streamId);
  }

  /**
   * The subjects of the streams holding an event of one of `types` whose data contains `data`
   * (JSON containment): the recipients who ever followed a person, say.
   */
  async subjectsOf(tx: EntityManager, filter: { types: readonly string[]; data: object }): Promise<string[]> {
    return subjectsOfEvents(tx, filter.types, filter.data);
  }

  /**
   * Erasure of `ids` (a person, a recipient): the Idempotency-Key fingerprints of the requests
   * answered with one of them are scrubbed, but the erasure's own (`exceptKey`), in the caller's transaction.
   */
  async forgetRequests(tx: EntityManager, ids: string | readonly string[], exceptKey?: string): Promise<void> {
    await forgetRequests(tx, typeof ids === 'string' ? [ids] : ids, exceptKey);
  }

  /**
   * `handle` inside the caller's transaction: for a reaction that must commit its events together
   * with something else (a consumer's checkpoint, a worker's claimed row). Same steps, same
   * guarantees; the caller commits or rolls back.
   */
  async handleIn<Command, Event extends DomainEvent, State>(
    tx: EntityManager,
    decider: Decider<Command, Event, State>,
    command: Command,
    targetOf: TargetOf,
    context: CommandContext,
    { request = command, check, alongside }: HandleOptions = {},
  ): Promise<AppendResult> {
    const target = typeof targetOf === 'function' ? await targetOf(tx) : targetOf;
    await check?.(tx, target);
    const result = await this.decideAndAppend(tx, decider, command, target, context, request);
    await alongside?.(tx, result);
    return result;
  }

  private async decideAndAppend<Command, Event extends DomainEvent, State>(
    tx: EntityManager,
    decider: Decider<Command, Event, State>,
    command: Command,
    target: StreamTarget,
    context: CommandContext,
    request: unknown,
  ): Promise<AppendResult> {
    if (context.idempotencyKey) {
      const earlier = await claimIdempotencyKey<AppendResult>(tx, context.idempotencyKey, requestHash(request, this.options.requestKey));
      if (earlier) return { ...earlier, repeatedRequest: true };
    }
    const { expectedVersion } = context;
    // A stream the caller says is new (expectedVersion 0, e.g. a person id drawn for this
    // request) is not read: its append inserts the head, or finds it taken and refuses.
    const unread = expectedVersion === 0;
    for (let attempt = 1; ; attempt += 1) {
      const history = unread ? [] : await this.readStream(target.streamId, { tx, raw: true });
      const last = history.at(-1);
      const head = { version: last?.streamVersion ?? 0, lastHash: last?.hash ?? '' };
      if (expectedVersion !== undefined && expectedVersion !== head.version) throw versionConflict(expectedVersion, head.version);
      const state = fold(
        decider,
        history.map((event) => {
          const { type, data } = upcast(event, this.options.upcasters);
          return { type, data } as Event;
        }),
      );
      let decided: readonly DomainEvent[];
      try {
        decided = decider.decide(command, state);
      } catch (refusal) {
        if (unread) await this.requireVersion(tx, target.streamId, 0);
        throw refusal;
      }
      if (decided.length === 0 && unread) await this.requireVersion(tx, target.streamId, 0);
      if (this.options.sealer && decided.length > 0) decided = await this.options.sealer.seal(tx, decided, target);
      const appended = await this.append(tx, target, head, decided, context);
      if (!appended) {
        // Another writer moved the head after the read; this transaction now holds its row.
        if (expectedVersion !== undefined) await this.requireVersion(tx, target.streamId, expectedVersion);
        if (attempt < APPEND_ATTEMPTS) continue;
        throw new DomainError('version-conflict', 'stream.version-conflict', `the stream kept moving during ${APPEND_ATTEMPTS} attempts`);
      }
      const result: AppendResult = {
        id: target.subject,
        streamId: target.streamId,
        streamVersion: head.version + appended.length,
        eventIds: appended.map((event) => event.eventId),
        repeatedRequest: false,
      };
      if (context.idempotencyKey) await recordIdempotentResult(tx, context.idempotencyKey, result);
      return result;
    }
  }

  /** Refuses with version-conflict unless the stream's committed head is at `expected`. */
  private async requireVersion(tx: EntityManager, streamId: string, expected: number): Promise<void> {
    const version = await streamVersion(tx, streamId);
    if (version !== expected) throw versionConflict(expected, version);
  }

  /**
   * Appends decided events after `head`, with their outbox row and inline read models, if the
   * stream is still at `head`; answers null (having written nothing) if it has moved on.
   */
  private async append(
    tx: EntityManager,
    target: StreamTarget,
    head: { version: number; lastHash: string },
    decided: readonly DomainEvent[],
    context: CommandContext,
  ): Promise<EventEnvelope[] | null> {
    if (decided.length === 0) return [];
    const recordedAt = new Date().toISOString();
    let prevHash = head.lastHash;
    // Each event's data is written as canonical JSON once: hashed, and sent as the row's data.
    const rows: string[] = [];
    const shared = {
      occurredAt: context.occurredAt,
      recordedAt,
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      subject: target.subject,
      source: this.options.source,
    };
    // What the relay will read back: the data as stored (canonical JSON), for the contract check.
    const stored: EventEnvelope[] = [];
    const events: EventEnvelope[] = decided.map((event, index) => {
      const data = event.data as Record<string, unknown>;
      const dataJson = canonicalJson(data);
      const envelope: EventEnvelope = {
        eventId: uuidv7(),
        streamId: target.streamId,
        streamVersion: head.version + index + 1,
        type: event.type,
        schemaVersion: currentSchemaVersion(event.type, this.options.upcasters),
        data,
        ...shared,
        prevHash,
        hash: '',
      };
      envelope.hash = hashEvent(envelope, dataJson);
      rows.push(
        `{"event_id":"${envelope.eventId}","stream_version":${envelope.streamVersion},"type":${JSON.stringify(envelope.type)},` +
          `"schema_version":${envelope.schemaVersion},"data":${dataJson},"prev_hash":"${prevHash}","hash":"${envelope.hash}"}`,
      );
      prevHash = envelope.hash;
      stored.push({ ...envelope, data: JSON.parse(dataJson) as Record<string, unknown> });
      return envelope;
    });
    assertPublishable(stored);

    // The relay is woken after the commit; only outside a transaction the statement notifies.
    const notifyInStatement = !OutboxWakeUp.of(this.dataSource).afterCommitOf(tx);
    // The events' metadata: the same for every event of the command, so sent once.
    const metadata = context.traceparent ? { ...shared, traceparent: context.traceparent } : shared;
    const moved = await appendToStream(tx, {
      streamId: target.streamId,
      fromVersion: head.version,
      toVersion: head.version + events.length,
      lastHash: prevHash,
      events: `[${rows.join(',')}]`,
      metadata: JSON.stringify(metadata),
      recordedAt,
      topic: this.options.topic,
      notify: { channel: OUTBOX_CHANNEL, now: notifyInStatement },
    });
    if (!moved) return null;
    const projected = events.map((event) => upcast(event, this.options.upcasters));
    for (const projection of this.options.projections ?? []) await applyToDocuments(tx, projection, projected);
    return events;
  }
}
