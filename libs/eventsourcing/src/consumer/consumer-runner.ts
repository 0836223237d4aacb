// The one way a service consumes other contexts' events. For each Kafka batch, in ONE Postgres
// transaction: skip what the stored (topic, partition, offset) checkpoint already covers, skip
// event ids already in the inbox (a relay may republish after a crash), apply the rest to the read
// models, and move the checkpoint. On (re)assignment it seeks to the stored checkpoint. A message
// that keeps failing goes to `<topic>.dlq.<group>` (and the dead_letters table) and the consumer
// moves on; a message that cannot even be decoded goes there at once.
import {
  decodeEventValue,
  deadLetterTopicOf,
  sourceOf,
  type Broker,
  type ConsumedEvent,
  type IncomingBatch,
  type IncomingMessage,
  type Publisher,
  type Subscription,
} from '@homeward/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { loggableError } from '@homeward/observability';
import type { RelayLogger } from '../outbox/outbox-relay.js';
import { prepared, runPrepared } from '../prepared.js';

export interface ConsumerRunnerOptions {
  dataSource: DataSource;
  broker: Broker;
  groupId: string;
  topics: string[];
  /** Applies events (already deduplicated, in partition order) inside the transaction. */
  handle(tx: EntityManager, events: ConsumedEvent[]): Promise<void>;
  /** Attempts per message once a batch has failed, before dead-lettering it. */
  maxAttempts?: number;
  chunkSize?: number;
  logger?: RelayLogger;
}

class PoisonMessage extends Error {
  override name = 'PoisonMessage';
}

interface Decoded {
  message: IncomingMessage;
  event?: ConsumedEvent;
  poison?: Error;
}

export class ConsumerRunner {
  private subscription: Subscription | null = null;
  private dlqPublisher: Publisher | null = null;
  private stopped = false;
  applied = 0;
  deadLettered = 0;

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.groupId = `${process.env.KAFKA_GROUP_PREFIX ?? ''}${options.groupId}`;
  }

  /** KAFKA_GROUP_PREFIX gives a deployment (or one test run) consumer groups of its own. */
  readonly groupId: string;

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
    const rows: Array<{ topic: string; partition: number; offset: string }> = await this.options.dataSource.query(
      `SELECT topic, partition, "offset"::text AS "offset" FROM checkpoints WHERE group_id = $1`,
      [this.groupId],
    );
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

  private async subscribe(): Promise<void> {
    this.subscription = await this.options.broker.subscribe({
      groupId: this.groupId,
      topics: this.options.topics,
      eachBatch: (batch) => this.onBatch(batch),
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
    const rows: Array<{ topic: string; partition: number; offset: string }> = await this.options.dataSource.query(
      `SELECT topic, partition, "offset" FROM checkpoints WHERE group_id = $1`,
      [this.groupId],
    );
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
      const chunk = batch.messages.slice(start, start + size).map((message) => this.decode(batch.topic, batch.partition, message));
      await this.processChunk(batch.topic, batch.partition, chunk);
      batch.resolveOffset(chunk[chunk.length - 1]!.message.offset);
      await batch.heartbeat();
    }
  }

  private decode(topic: string, partition: number, message: IncomingMessage): Decoded {
    try {
      const event = decodeEventValue(sourceOf(message.headers), message.value);
      return { message, event: { ...event, position: { topic, partition, offset: message.offset } } };
    } catch (error) {
      return { message, poison: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private async processChunk(topic: string, partition: number, chunk: Decoded[]): Promise<void> {
    try {
      await this.applyInTransaction(topic, partition, chunk);
      return;
    } catch (error) {
      if (chunk.length === 1 && !(error instanceof PoisonMessage)) throw error;
    }
    // Isolate the culprit: one message at a time, each with bounded retries.
    for (const item of chunk) await this.applyWithRetries(topic, partition, item);
  }

  private async applyWithRetries(topic: string, partition: number, item: Decoded): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    let lastError: unknown = item.poison;
    for (let attempt = 1; !item.poison && attempt <= maxAttempts; attempt += 1) {
      try {
        await this.applyInTransaction(topic, partition, [item]);
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    await this.deadLetter(topic, partition, item, lastError, item.poison ? 1 : maxAttempts);
  }

  private async applyInTransaction(topic: string, partition: number, chunk: Decoded[]): Promise<void> {
    const { dataSource } = this.options;
    const { groupId } = this;
    await dataSource.transaction(async (tx) => {
      const checkpoint = await lockCheckpoint(tx, groupId, topic, partition);
      const fresh = chunk.filter((item) => BigInt(item.message.offset) > checkpoint);
      if (fresh.length === 0) return;
      if (fresh.some((item) => item.poison)) throw new PoisonMessage('undecodable message in batch');
      const events = fresh.map((item) => item.event!);
      const inserted = await runPrepared<{ event_id: string }>(tx, inboxStatement, [groupId, events.map((event) => event.eventId)]);
      const firstSeen = new Set(inserted.map((row) => row.event_id));
      const unseen = events.filter((event) => firstSeen.delete(event.eventId));
      if (unseen.length > 0) await this.options.handle(tx, unseen);
      await saveCheckpoint(tx, groupId, topic, partition, fresh[fresh.length - 1]!.message.offset);
      this.applied += unseen.length;
    });
  }

  /**
   * Re-applies one dead-lettered message of this group through the handler and the inbox, in the
   * transaction that marks it retried: applied once, whatever the number of retries. A message
   * that still fails leaves the row as it was and the error goes to the caller.
   */
  async retryDeadLetter(id: string): Promise<'applied' | 'duplicate' | 'already-retried' | 'not-found'> {
    const { groupId } = this;
    return this.options.dataSource.transaction(async (tx) => {
      const [row]: Array<{ topic: string; partition: number; offset: string; value: Buffer; headers: Record<string, string>; retried_at: string | null }> =
        await tx.query(`SELECT topic, partition, "offset", value, headers, retried_at FROM dead_letters WHERE id = $1 AND group_id = $2 FOR UPDATE`, [
          id,
          groupId,
        ]);
      if (!row) return 'not-found';
      if (row.retried_at !== null) return 'already-retried';
      const decoded = decodeEventValue(sourceOf(row.headers), row.value);
      const event: ConsumedEvent = { ...decoded, position: { topic: row.topic, partition: row.partition, offset: String(row.offset) } };
      const inserted: unknown[] = await tx.query(`INSERT INTO inbox (group_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`, [
        groupId,
        event.eventId,
      ]);
      if (inserted.length > 0) await this.options.handle(tx, [event]);
      await tx.query(`UPDATE dead_letters SET retried_at = now() WHERE id = $1`, [id]);
      return inserted.length > 0 ? 'applied' : 'duplicate';
    });
  }

  private async deadLetter(topic: string, partition: number, item: Decoded, error: unknown, attempts: number): Promise<void> {
    const { dataSource } = this.options;
    const { groupId } = this;
    const reason = describe(error);
    const { message } = item;
    const headers = Object.fromEntries(
      Object.entries(message.headers).map(([key, value]) => [key, Array.isArray(value) ? value.map(String) : String(value ?? '')]),
    );
    await this.dlqPublisher!.publish(deadLetterTopicOf(topic, groupId), [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
          dlq_original_topic: topic,
          dlq_original_partition: String(partition),
          dlq_original_offset: message.offset,
          dlq_group: groupId,
          dlq_error: reason,
          dlq_attempts: String(attempts),
        },
      },
    ]);
    await dataSource.transaction(async (tx) => {
      const checkpoint = await lockCheckpoint(tx, groupId, topic, partition);
      if (BigInt(message.offset) <= checkpoint) return;
      await tx.query(
        `INSERT INTO dead_letters (group_id, topic, partition, "offset", event_id, event_type, error, attempts, key, value, headers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [groupId, topic, partition, message.offset, item.event?.eventId ?? null, item.event?.type ?? null, reason, attempts, message.key, message.value, JSON.stringify(headers)],
      );
      await saveCheckpoint(tx, groupId, topic, partition, message.offset);
    });
    this.deadLettered += 1;
    this.options.logger?.warn({ group: groupId, topic, partition, offset: message.offset, eventType: item.event?.type, reason }, 'message dead-lettered');
  }
}

const inboxStatement = prepared('inbox', `INSERT INTO inbox (group_id, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`);
const lockCheckpointStatement = prepared(
  'checkpoint_lock',
  `SELECT "offset" FROM checkpoints WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
);
const saveCheckpointStatement = prepared(
  'checkpoint_save',
  `UPDATE checkpoints SET "offset" = $4, updated_at = now() WHERE group_id = $1 AND topic = $2 AND partition = $3`,
);

/** Locks the partition's checkpoint row and answers it: one round trip once the row exists. */
async function lockCheckpoint(tx: EntityManager, groupId: string, topic: string, partition: number): Promise<bigint> {
  const lock = () => runPrepared<{ offset: string }>(tx, lockCheckpointStatement, [groupId, topic, partition]);
  let [row] = await lock();
  if (!row) {
    await tx.query(`INSERT INTO checkpoints (group_id, topic, partition, "offset") VALUES ($1, $2, $3, -1) ON CONFLICT DO NOTHING`, [groupId, topic, partition]);
    [row] = await lock();
  }
  return BigInt(row!.offset);
}

async function saveCheckpoint(tx: EntityManager, groupId: string, topic: string, partition: number, offset: string): Promise<void> {
  await runPrepared(tx, saveCheckpointStatement, [groupId, topic, partition, offset]);
}

/** A reason safe to store and log: the error's name and code, and our own messages (never data). */
function describe(error: unknown): string {
  const { type, code } = loggableError(error);
  const own = error instanceof Error && ['PoisonMessage', 'UnknownEventError', 'DomainError'].includes(error.name) ? `: ${error.message}` : '';
  return `${type}${code !== undefined ? ` (${code})` : ''}${own}`.slice(0, 500);
}
