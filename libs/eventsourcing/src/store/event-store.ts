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
import { applyToDocuments, type DocumentProjection } from '../projections/document-projection.js';
import { OUTBOX_CHANNEL, OutboxWakeUp } from './outbox-wake-up.js';
import { assertPublishable } from './publishable.js';
import { appendToStream } from './schema/append-to-stream.js';
import { claimIdempotencyKey } from './schema/claim-idempotency-key.js';
import { forgetRequests } from './schema/forget-requests.js';
import { readStream } from './schema/read-stream.js';
import { recordIdempotentResult } from './schema/record-idempotent-result.js';
import { streamVersion } from './schema/stream-version.js';
import { currentSchemaVersion, upcast, type Upcasters } from './upcasting.js';

export interface DomainEvent {
  type: string;
  data: object;
}

export interface EventStoreOptions {
  /** The context that owns this store, e.g. `intake`. */
  source: string;
  /** Kafka topic its events are published to. */
  topic: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each projection has its own document type
  projections?: readonly DocumentProjection<any>[];
  upcasters?: Upcasters;
  /** Seals personal data into decided events before they are written (see @homeward/personal-data). */
  sealer?: EventSealer;
  /**
   * Key of the Idempotency-Key fingerprints (HMAC-SHA256 of the request): without it a stored
   * fingerprint is a plain hash of the plaintext request, against which a guessed name can be
   * checked.
   */
  requestKey?: Buffer;
}

/** Turns decided events into what is written: personal values encrypted for the stream's subject. May refuse. */
export interface EventSealer {
  seal(tx: EntityManager, events: readonly DomainEvent[], target: StreamTarget): Promise<readonly DomainEvent[]>;
}

export interface CommandContext {
  actor: string;
  correlationId: string;
  causationId: string;
  /** When the command was accepted; becomes the events' occurredAt. */
  occurredAt: string;
  /** If-Match: the command applies only to this stream version. */
  expectedVersion?: number;
  /** Idempotency-Key and a hash of the request it came with. */
  idempotencyKey?: string;
  /** W3C trace context of the request; travels to Kafka as a header, outside the hash chain. */
  traceparent?: string;
}

export interface AppendResult {
  id: string;
  streamId: string;
  streamVersion: number;
  eventIds: string[];
  repeatedRequest: boolean;
}

/**
 * What a service writes with an append, in its transaction, once the events are appended (or the
 * request is found repeated): a person's key, say. The append and these writes commit together.
 */
export type Alongside = (tx: EntityManager, result: AppendResult) => Promise<void>;

export interface StreamTarget {
  streamId: string;
  /** The person (or batch) the stream is about: the Kafka key and CloudEvents subject. */
  subject: string;
}

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
   * Runs `decider.decide(command, state)` against the stream and appends what it decides.
   * `request` is what the caller asked for (naming the command and its target), hashed for the
   * Idempotency-Key check; it must not contain ids generated for this attempt. `alongside` runs
   * in the append's transaction once it is done: the service's own writes that go with it.
   */
  async handle<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    command: Command,
    target: StreamTarget,
    context: CommandContext,
    request: unknown = command,
    alongside?: Alongside,
  ): Promise<AppendResult> {
    return this.dataSource.transaction(async (tx) => {
      const result = await this.handleIn(tx, decider, command, target, context, request);
      await alongside?.(tx, result);
      return result;
    });
  }

  /**
   * Erasure of `id` (a person, a recipient): the Idempotency-Key fingerprints of the requests
   * answered with it are scrubbed, but the erasure's own (`exceptKey`), in the caller's transaction.
   */
  async forgetRequests(tx: EntityManager, id: string, exceptKey?: string): Promise<void> {
    await forgetRequests(tx, id, exceptKey);
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
    target: StreamTarget,
    context: CommandContext,
    request: unknown = command,
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
