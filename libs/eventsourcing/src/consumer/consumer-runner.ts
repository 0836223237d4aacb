// The one way a service consumes other contexts' events. For each Kafka batch, in ONE Postgres
// transaction: skip what the stored (topic, partition, offset) checkpoint already covers, skip
// event ids already in the inbox (a relay may republish after a crash), apply the rest to the read
// models, and move the checkpoint. On (re)assignment it seeks to the stored checkpoint. A message
// that keeps failing goes to `<topic>.dlq.<group>` (and the dead_letters table) and the consumer
// moves on; a message that cannot even be decoded goes there at once.
//
// This file fetches: it subscribes, seeks, cuts each partition's batch into chunks and decodes
// them. The chunks are ordered and gathered into transactions by apply-queue.ts, applied by
// apply-in-transaction.ts, isolated when they fail by dead-letters.ts, and checkpointed by
// checkpoints.ts.
import {
  decodeEventValue,
  deadLetterTopicOf,
  sourceOf,
  type Broker,
  type IncomingBatch,
  type IncomingMessage,
  type Publisher,
  type Subscription,
} from '@homeward/messaging';
import { loggableError } from '@homeward/observability';
import { applyInTransaction } from './apply-in-transaction.js';
import { ApplyQueue } from './apply-queue.js';
import { readCheckpoints } from './checkpoints.js';
import type { ConsumerRunnerOptions, ConsumerStats, Decoded } from './consumer-options.js';
import { applyIsolating, retryDeadLetter, type IsolationContext } from './dead-letters.js';

export type { ConsumerRunnerOptions } from './consumer-options.js';

/** Partitions whose batches kafkajs hands over at the same time (each partition stays in order). */
const CONCURRENT_PARTITIONS = 32;

export class ConsumerRunner {
  private subscription: Subscription | null = null;
  private dlqPublisher: Publisher | null = null;
  private stopped = false;
  private readonly stats: ConsumerStats = { applied: 0, combined: 0, passedOver: 0, deadLettered: 0 };
  private readonly context: IsolationContext;
  private readonly queue: ApplyQueue;

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.groupId = `${process.env.KAFKA_GROUP_PREFIX ?? ''}${options.groupId}`;
    this.context = { options, groupId: this.groupId, stats: this.stats, dlqPublisher: () => this.dlqPublisher! };
    this.queue = new ApplyQueue(
      options.chunkSize ?? 500,
      {
        together: (parts) => applyInTransaction(this.context, parts),
        alone: (part) => applyIsolating(this.context, part),
      },
      this.stats,
    );
  }

  /** KAFKA_GROUP_PREFIX gives a deployment (or one test run) consumer groups of its own. */
  readonly groupId: string;

  get applied(): number {
    return this.stats.applied;
  }

  /** Transactions that applied chunks of more than one partition (for tests). */
  get combined(): number {
    return this.stats.combined;
  }

  /** Events `reactsTo` turned down that only moved a checkpoint, without a transaction (for tests). */
  get passedOver(): number {
    return this.stats.passedOver;
  }

  get deadLettered(): number {
    return this.stats.deadLettered;
  }

  get topics(): readonly string[] {
    return this.options.topics;
  }

  /** The broker it reads from: a rebuild of its read model reads the same topics there. */
  get broker(): Broker {
    return this.options.broker;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { broker, topics } = this.options;
    const { groupId } = this;
    await broker.ensureTopics([...topics, ...topics.map((topic) => deadLetterTopicOf(topic, groupId))]);
    this.dlqPublisher = await broker.publisher();
    await this.subscribe();
  }

  /** How far behind the log this consumer is, per topic and partition (from its own checkpoints). */
  async lag(): Promise<Array<{ topic: string; partition: number; offset: string; lag: string }>> {
    const rows = await readCheckpoints(this.options.dataSource, this.groupId);
    const answer = [];
    for (const topic of this.options.topics) {
      for (const { partition, high } of await this.options.broker.endOffsets(topic)) {
        const offset = rows.find((row) => row.topic === topic && row.partition === partition)?.offset ?? '-1';
        const behind = BigInt(high) - (BigInt(offset) + 1n);
        answer.push({ topic, partition, offset, lag: (behind > 0n ? behind : 0n).toString() });
      }
    }
    return answer;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    this.subscription = null;
    await this.dlqPublisher?.close();
    this.dlqPublisher = null;
  }

  /**
   * Re-applies one dead-lettered message of this group through the handler and the inbox, in the
   * transaction that marks it retried: applied once, whatever the number of retries.
   */
  async retryDeadLetter(id: string): Promise<'applied' | 'duplicate' | 'already-retried' | 'not-found'> {
    return retryDeadLetter(this.context, id);
  }

  private async subscribe(): Promise<void> {
    this.subscription = await this.options.broker.subscribe({
      groupId: this.groupId,
      topics: this.options.topics,
      eachBatch: (batch) => this.onBatch(batch),
      concurrentPartitions: CONCURRENT_PARTITIONS,
      onAssigned: (assignment, seek) => this.seekToCheckpoints(assignment, seek),
      onCrash: (error) => {
        this.options.logger?.warn({ err: loggableError(error), group: this.groupId }, 'consumer crashed; resubscribing');
        void this.resubscribe();
      },
    });
  }

  private async resubscribe(): Promise<void> {
    await this.subscription?.stop().catch(() => undefined);
    while (!this.stopped) {
      try {
        await this.subscribe();
        return;
      } catch (error) {
        this.options.logger?.warn({ err: loggableError(error) }, 'resubscribe failed');
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  }

  private async seekToCheckpoints(assignment: Record<string, number[]>, seek: (topic: string, partition: number, offset: string) => void) {
    const rows = await readCheckpoints(this.options.dataSource, this.groupId);
    // The stored checkpoint is the truth, not the group's offset in Kafka: a partition with no
    // checkpoint (a new or rebuilt read model) is read from the start of the log.
    const stored = new Map(rows.map((row) => [`${row.topic}:${row.partition}`, BigInt(row.offset) + 1n]));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) seek(topic, partition, (stored.get(`${topic}:${partition}`) ?? 0n).toString());
    }
  }

  private async onBatch(batch: IncomingBatch): Promise<void> {
    const size = this.options.chunkSize ?? 500;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!batch.isRunning()) return;
      const chunk = batch.messages.slice(start, start + size).map((message) => decode(batch.topic, batch.partition, message));
      await this.queue.enqueue(batch.topic, batch.partition, chunk);
      batch.resolveOffset(chunk[chunk.length - 1]!.message.offset);
      await batch.heartbeat();
    }
  }
}

function decode(topic: string, partition: number, message: IncomingMessage): Decoded {
  try {
    const event = decodeEventValue(sourceOf(message.headers), message.value);
    return { message, event: { ...event, position: { topic, partition, offset: message.offset } } };
  } catch (error) {
    return { message, poison: error instanceof Error ? error : new Error(String(error)) };
  }
}
