// What the event store is told and answers: its options, a command's context and target, what
// runs with an append, and the append's result. The store itself is in event-store.ts.
import type { EntityManager } from 'typeorm';
import type { DocumentProjection } from '../projections/document-projection.js';
import type { Upcasters } from './upcasting.js';

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

/** What runs with a command in the append's transaction, besides the decision. */
export interface HandleOptions {
  /**
   * What the caller asked for (naming the command and its target), hashed for the Idempotency-Key
   * check; it must not contain ids generated for this attempt. Default: the command.
   */
  request?: unknown;
  /** Runs first, before the key is claimed and the stream read: may refuse (a person erased), and then nothing is written. */
  check?: (tx: EntityManager, target: StreamTarget) => Promise<void>;
  alongside?: Alongside;
}

export interface StreamTarget {
  streamId: string;
  /** The person (or batch) the stream is about: the Kafka key and CloudEvents subject. */
  subject: string;
}

/** A target, or how to find it in the append's transaction (a case's person, from the case's stream: subjectOf). */
export type TargetOf = StreamTarget | ((tx: EntityManager) => Promise<StreamTarget>);
