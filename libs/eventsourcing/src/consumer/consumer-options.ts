// What a consumer runner is given, and what its steps share: fetch (consumer-runner.ts), order
// (apply-queue.ts), apply in a transaction (apply-in-transaction.ts), isolate a poison message
// (dead-letters.ts) and checkpoint (checkpoints.ts).
import type { Broker, ConsumedEvent, IncomingMessage } from '@homeward/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger.js';

export interface ConsumerRunnerOptions {
  dataSource: DataSource;
  broker: Broker;
  groupId: string;
  topics: string[];
  /** Applies events (already deduplicated, in partition order) inside the transaction. */
  handle(tx: EntityManager, events: ConsumedEvent[]): Promise<void>;
  /**
   * The events `handle` acts on (default: all). The others are neither handed to it nor kept in
   * the inbox, and chunks holding nothing else only move their checkpoints, in one statement
   * without a transaction: the topic carries many facts a consumer has no use for.
   */
  reactsTo?(event: ConsumedEvent): boolean;
  /**
   * false when `handle` itself applies an event once however often it comes (audit's copy is
   * keyed by event id): the inbox row, and its statement in every transaction, would repeat that.
   */
  inbox?: boolean;
  /** Attempts per message once a batch has failed, before dead-lettering it. */
  maxAttempts?: number;
  chunkSize?: number;
  logger?: Logger;
}

/** What a runner has done so far (tests and the bench read it). */
export interface ConsumerStats {
  applied: number;
  /** Transactions that applied chunks of more than one partition. */
  combined: number;
  /** Events `reactsTo` turned down that only moved a checkpoint, without a transaction. */
  passedOver: number;
  deadLettered: number;
}

/** A message as fetched: its event, or why it could not be decoded. */
export interface Decoded {
  message: IncomingMessage;
  event?: ConsumedEvent;
  poison?: Error;
}

/** A chunk of one partition's batch. */
export interface Part {
  topic: string;
  partition: number;
  chunk: Decoded[];
}

/** What the steps of one runner share. */
export interface RunnerContext {
  readonly options: ConsumerRunnerOptions;
  /** The group as it runs (with KAFKA_GROUP_PREFIX). */
  readonly groupId: string;
  readonly stats: ConsumerStats;
}
