// The one event store: load a stream, run a pure decider, and append in ONE transaction with the
// outbox rows, the inline read models and the idempotency record. Writers of a stream serialise
// on its `streams` row, so versions, hash links and outbox order follow commit order.
import { createHash } from 'node:crypto';
import { DomainError, fold, type Decider } from '@homeward/decider';
import type { EventEnvelope } from '@homeward/messaging';
import { uuidv7 } from '@homeward/observability';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../hash-chain/canonical-json.js';
import { hashEvent } from '../hash-chain/hash-chain.js';
import { applyToDocuments, type DocumentProjection } from '../projections/document-projection.js';
import { prepared, runPrepared } from '../prepared.js';
import { OUTBOX_CHANNEL, OutboxWakeUp } from './outbox-wake-up.js';
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

export interface StreamTarget {
  streamId: string;
  /** The person (or batch) the stream is about: the Kafka key and CloudEvents subject. */
  subject: string;
}

export { OUTBOX_CHANNEL } from './outbox-wake-up.js';

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Pick<EventEnvelope, 'occurredAt' | 'recordedAt' | 'actor' | 'correlationId' | 'causationId' | 'subject' | 'source'> & { traceparent?: string };
  prev_hash: string;
  hash: string;
}

export const eventColumns = 'global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash';

export function rowToEnvelope(row: EventRow): EventEnvelope & { globalPosition: string } {
  const { traceparent: _traceparent, ...metadata } = row.metadata;
  return {
    globalPosition: row.global_position,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    ...metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Hash of the request behind an Idempotency-Key: same key + same request = same answer. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

const readStreamStatement = prepared('read_stream', `SELECT ${eventColumns} FROM events WHERE stream_id = $1 ORDER BY stream_version`);

// One statement creates the stream row or locks the existing one (ON CONFLICT DO UPDATE takes
// the row lock, as FOR UPDATE would) and answers its head.
const lockStreamStatement = prepared(
  'lock_stream',
  `INSERT INTO streams (stream_id, version, last_hash) VALUES ($1, 0, '')
   ON CONFLICT (stream_id) DO UPDATE SET version = streams.version
   RETURNING version, last_hash`,
);

// Events, their outbox rows (in stream order) and the stream's new head in one statement: one
// round trip whatever the number of events, which travel as one JSON array (one
// JSON.stringify, no per-element array escaping); $8 says whether the statement notifies the relay.
const appendStatement = prepared(
  'append',
  `WITH appended AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, prev_hash, hash, recorded_at)
    SELECT e.event_id, $1, e.stream_version, e.type, e.schema_version, e.data, e.metadata, e.prev_hash, e.hash, $2
    FROM jsonb_to_recordset($3::jsonb)
      AS e(event_id uuid, stream_version int, type text, schema_version int, data jsonb, metadata jsonb, prev_hash text, hash text)
    RETURNING event_id, stream_version
  ), queued AS (
    INSERT INTO outbox (event_id, topic) SELECT event_id, $4 FROM appended ORDER BY stream_version
  ), head AS (
    UPDATE streams SET version = $5, last_hash = $6, updated_at = now() WHERE stream_id = $1
  )
  SELECT pg_notify($7, '') WHERE $8::boolean`,
);

export class EventStore {
  constructor(
    readonly dataSource: DataSource,
    readonly options: EventStoreOptions,
  ) {}

  /** Reads a stream in order, upcast to the current schema versions (raw: as stored). */
  async readStream(streamId: string, { raw = false, tx = this.dataSource.manager }: { raw?: boolean; tx?: EntityManager } = {}) {
    const rows = await runPrepared<EventRow>(tx, readStreamStatement, [streamId]);
    const events = rows.map(rowToEnvelope);
    return raw ? events : events.map((event) => upcast(event, this.options.upcasters));
  }

  /**
   * Runs `decider.decide(command, state)` against the stream and appends what it decides.
   * `request` is what the caller asked for (naming the command and its target), hashed for the
   * Idempotency-Key check; it must not contain ids generated for this attempt.
   */
  async handle<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    command: Command,
    target: StreamTarget,
    context: CommandContext,
    request: unknown = command,
  ): Promise<AppendResult> {
    return this.dataSource.transaction((tx) => this.handleIn(tx, decider, command, target, context, request));
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
      const earlier = await this.claimIdempotencyKey(tx, context.idempotencyKey, requestHash(request));
      if (earlier) return earlier;
    }
    const head = await this.lockStream(tx, target.streamId);
    if (context.expectedVersion !== undefined && context.expectedVersion !== head.version) {
      throw new DomainError('version-conflict', 'stream.version-conflict', `expected version ${context.expectedVersion}, stream is at ${head.version}`);
    }
    // A stream at version 0 has no history: one round trip less for every first event.
    const history = head.version === 0 ? [] : await this.readStream(target.streamId, { tx });
    const state = fold(decider, history.map((event) => ({ type: event.type, data: event.data }) as Event));
    const appended = await this.append(tx, target, head, decider.decide(command, state), context);
    const result: AppendResult = {
      id: target.subject,
      streamId: target.streamId,
      streamVersion: head.version + appended.length,
      eventIds: appended.map((event) => event.eventId),
      repeatedRequest: false,
    };
    if (context.idempotencyKey) {
      await tx.query(`UPDATE idempotency_keys SET result = $2 WHERE key = $1`, [context.idempotencyKey, JSON.stringify(result)]);
    }
    return result;
  }

  private async claimIdempotencyKey(tx: EntityManager, key: string, fingerprint: string): Promise<AppendResult | null> {
    // A concurrent request with the same key waits here on the unique index until the first commits.
    const claimed: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, fingerprint],
    );
    if (claimed.length > 0) return null;
    const [earlier]: Array<{ request_hash: string; result: AppendResult | null }> = await tx.query(
      `SELECT request_hash, result FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    if (!earlier || earlier.request_hash !== fingerprint || !earlier.result) {
      throw new DomainError('idempotency-key-reused', 'request.idempotency-key-reused', 'this Idempotency-Key was used with a different request');
    }
    return { ...earlier.result, repeatedRequest: true };
  }

  private async lockStream(tx: EntityManager, streamId: string): Promise<{ version: number; lastHash: string }> {
    const [row] = await runPrepared<{ version: number; last_hash: string }>(tx, lockStreamStatement, [streamId]);
    return { version: row!.version, lastHash: row!.last_hash };
  }

  /** Appends decided events after the locked head; writes outbox rows and inline read models. */
  private async append(
    tx: EntityManager,
    target: StreamTarget,
    head: { version: number; lastHash: string },
    decided: readonly DomainEvent[],
    context: CommandContext,
  ): Promise<EventEnvelope[]> {
    if (decided.length === 0) return [];
    const recordedAt = new Date().toISOString();
    let prevHash = head.lastHash;
    const events = decided.map((event, index) => {
      const unhashed = {
        eventId: uuidv7(),
        streamId: target.streamId,
        streamVersion: head.version + index + 1,
        type: event.type,
        schemaVersion: currentSchemaVersion(event.type, this.options.upcasters),
        data: event.data as Record<string, unknown>,
        occurredAt: context.occurredAt,
        recordedAt,
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId,
        subject: target.subject,
        source: this.options.source,
        prevHash,
      };
      const hash = hashEvent(unhashed);
      prevHash = hash;
      return { ...unhashed, hash };
    });

    // The relay is woken after the commit; only outside a transaction the statement notifies.
    const notifyInStatement = !OutboxWakeUp.of(this.dataSource).afterCommitOf(tx);
    const rows = events.map((e) => ({
      event_id: e.eventId,
      stream_version: e.streamVersion,
      type: e.type,
      schema_version: e.schemaVersion,
      data: e.data,
      metadata: { occurredAt: e.occurredAt, recordedAt: e.recordedAt, actor: e.actor, correlationId: e.correlationId, causationId: e.causationId, subject: e.subject, source: e.source, ...(context.traceparent ? { traceparent: context.traceparent } : {}) },
      prev_hash: e.prevHash,
      hash: e.hash,
    }));
    await runPrepared(tx, appendStatement, [target.streamId, recordedAt, JSON.stringify(rows), this.options.topic, head.version + events.length, prevHash, OUTBOX_CHANNEL, notifyInStatement]);
    for (const projection of this.options.projections ?? []) {
      await applyToDocuments(tx, projection, events.map((event) => upcast(event, this.options.upcasters)));
    }
    return events;
  }
}
