// The one way a service consumes other contexts' events. For each Kafka batch, in ONE Postgres
// transaction: skip what the stored (topic, partition, offset) checkpoint already covers, skip
// event ids already in the inbox (a relay may republish after a crash), apply the rest to the read
// models, and move the checkpoint. On (re)assignment it seeks to the stored checkpoint. A message
// that keeps failing goes to `<topic>.dlq.<group>` (and the dead_letters table) and the consumer
// moves on; a message that cannot even be decoded goes there at once.
//
// Partitions are fetched concurrently, and the batches that arrive together (or while a
// transaction is committing) are applied in one transaction, one after another: one commit and
// the same few statements for many partitions, each partition still in order. Only one of this
// runner's transactions is open at a time, so what it writes commits in the order it applied it
// (the audit log's id cursor relies on that).
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
import type { Logger } from '../logger.js';
import { prepared, runPrepared } from '../prepared.js';

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

class PoisonMessage extends Error {
  override name = 'PoisonMessage';
}

interface Decoded {
  message: IncomingMessage;
  event?: ConsumedEvent;
  poison?: Error;
}

/** A chunk of one partition's batch. */
interface Part {
  topic: string;
  partition: number;
  chunk: Decoded[];
}

/** A part waiting for the next transaction, and what to tell its batch when it is done. */
interface Waiting extends Part {
  done(error?: unknown): void;
}

/** Partitions whose batches kafkajs hands over at the same time (each partition stays in order). */
const CONCURRENT_PARTITIONS = 32;

export class ConsumerRunner {
  private subscription: Subscription | null = null;
  private dlqPublisher: Publisher | null = null;
  private stopped = false;
  /** Chunks waiting for the next transaction, and whether one is being applied. */
  private waiting: Waiting[] = [];
  private applying = false;
  applied = 0;
  /** Transactions that applied chunks of more than one partition (for tests). */
  combined = 0;
  /** Events `reactsTo` turned down that only moved a checkpoint, without a transaction (for tests). */
  passedOver = 0;
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
      await this.enqueue(batch.topic, batch.partition, chunk);
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

  /** Resolves once the chunk is applied (or dead-lettered), in a transaction with whatever else waits. */
  private enqueue(topic: string, partition: number, chunk: Decoded[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ topic, partition, chunk, done: (error) => (error === undefined ? resolve() : reject(error)) });
      this.applySoon();
    });
  }

  /** The other partitions of the same fetch are handed over in the next few ticks: gather them. */
  private applySoon(): void {
    if (this.applying) return;
    this.applying = true;
    setImmediate(() => {
      void this.applyWaiting().finally(() => {
        this.applying = false;
        if (this.waiting.length > 0) this.applySoon();
      });
    });
  }

  private async applyWaiting(): Promise<void> {
    const size = this.options.chunkSize ?? 500;
    while (this.waiting.length > 0) {
      // Whole chunks up to chunkSize messages (at least one chunk), one per partition, in the order they came.
      const parts = [this.waiting.shift()!];
      let messages = parts[0]!.chunk.length;
      for (const next of this.waiting) {
        if (messages + next.chunk.length > size || parts.some((part) => part.topic === next.topic && part.partition === next.partition)) break;
        parts.push(next);
        messages += next.chunk.length;
      }
      this.waiting.splice(0, parts.length - 1);
      if (parts.length > 1) {
        try {
          await this.applyInTransaction(parts);
          this.combined += 1;
          for (const part of parts) part.done();
          continue;
        } catch {
          // Each chunk on its own then, so that one failure holds up only its own partition.
        }
      }
      for (const part of parts) {
        try {
          await this.processChunk(part);
          part.done();
        } catch (error) {
          part.done(error);
        }
      }
    }
  }

  private async processChunk(part: Part): Promise<void> {
    const { topic, partition, chunk } = part;
    try {
      await this.applyInTransaction([part]);
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
        await this.applyInTransaction([{ topic, partition, chunk: [item] }]);
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    await this.deadLetter(topic, partition, item, lastError, item.poison ? 1 : maxAttempts);
  }

  /** Applies chunks of several partitions (one chunk per partition) in one transaction. */
  private async applyInTransaction(parts: Part[]): Promise<void> {
    const { dataSource } = this.options;
    const { groupId } = this;
    const reactsTo = (event: ConsumedEvent) => this.options.reactsTo?.(event) ?? true;
    if (parts.every((part) => part.chunk.every((item) => item.event && !reactsTo(item.event)))) {
      // Nothing to apply: the checkpoints move (never back) and that is all.
      const moved = parts.map(({ topic, partition, chunk }) => ({ topic, partition, offset: chunk[chunk.length - 1]!.message.offset }));
      await runPrepared(dataSource, advanceCheckpointsStatement, checkpointValues(groupId, moved.sort(byPartition)));
      this.passedOver += parts.reduce((sum, part) => sum + part.chunk.length, 0);
      return;
    }
    await dataSource.transaction(async (tx) => {
      const checkpoints = await lockCheckpoints(tx, groupId, parts);
      const moved: Array<{ topic: string; partition: number; offset: string }> = [];
      const fresh: Decoded[] = [];
      for (const { topic, partition, chunk } of parts) {
        const checkpoint = checkpoints.get(checkpointKey(topic, partition))!;
        const after = chunk.filter((item) => BigInt(item.message.offset) > checkpoint);
        if (after.length === 0) continue;
        fresh.push(...after);
        moved.push({ topic, partition, offset: after[after.length - 1]!.message.offset });
      }
      if (fresh.length === 0) return;
      if (fresh.some((item) => item.poison)) throw new PoisonMessage('undecodable message in batch');
      const events = fresh.map((item) => item.event!).filter(reactsTo);
      if (events.length > 0) {
        const unseen = this.options.inbox === false ? events : await this.firstSeen(tx, events);
        if (unseen.length > 0) await this.options.handle(tx, unseen);
        this.applied += unseen.length;
      }
      await saveCheckpoints(tx, groupId, moved);
    });
  }

  /** The events not in this group's inbox yet, which are now. */
  private async firstSeen(tx: EntityManager, events: ConsumedEvent[]): Promise<ConsumedEvent[]> {
    const inserted = await runPrepared<{ event_id: string }>(tx, inboxStatement, [this.groupId, events.map((event) => event.eventId)]);
    const firstSeen = new Set(inserted.map((row) => row.event_id));
    return events.filter((event) => firstSeen.delete(event.eventId));
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
      const checkpoint = (await lockCheckpoints(tx, groupId, [{ topic, partition }])).get(checkpointKey(topic, partition))!;
      if (BigInt(message.offset) <= checkpoint) return;
      await tx.query(
        `INSERT INTO dead_letters (group_id, topic, partition, "offset", event_id, event_type, error, attempts, key, value, headers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [groupId, topic, partition, message.offset, item.event?.eventId ?? null, item.event?.type ?? null, reason, attempts, message.key, message.value, JSON.stringify(headers)],
      );
      await saveCheckpoints(tx, groupId, [{ topic, partition, offset: message.offset }]);
    });
    this.deadLettered += 1;
    this.options.logger?.warn({ group: groupId, topic, partition, offset: message.offset, eventType: item.event?.type, reason }, 'message dead-lettered');
  }
}

const inboxStatement = prepared('inbox', `INSERT INTO inbox (group_id, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`);
// The partitions' checkpoint rows, locked in one order (topic, partition) so that two transactions
// locking some of the same rows cannot deadlock.
const lockCheckpointsStatement = prepared(
  'checkpoints_lock',
  `SELECT c.topic, c.partition, c."offset" FROM checkpoints c
   JOIN unnest($2::text[], $3::int[]) AS p(topic, partition) ON c.topic = p.topic AND c.partition = p.partition
   WHERE c.group_id = $1
   ORDER BY c.topic, c.partition FOR UPDATE OF c`,
);
const saveCheckpointsStatement = prepared(
  'checkpoints_save',
  `UPDATE checkpoints c SET "offset" = p.next, updated_at = now()
   FROM unnest($2::text[], $3::int[], $4::bigint[]) AS p(topic, partition, next)
   WHERE c.group_id = $1 AND c.topic = p.topic AND c.partition = p.partition`,
);

// Rows taken in (topic, partition) order, as everywhere else; a row is made when new, else only moved forward.
const advanceCheckpointsStatement = prepared(
  'checkpoints_advance',
  `INSERT INTO checkpoints (group_id, topic, partition, "offset")
   SELECT $1, topic, partition, next FROM unnest($2::text[], $3::int[], $4::bigint[]) AS p(topic, partition, next)
   ON CONFLICT (group_id, topic, partition) DO UPDATE SET "offset" = excluded."offset", updated_at = now()
   WHERE checkpoints."offset" < excluded."offset"`,
);

const checkpointKey = (topic: string, partition: number) => `${partition}:${topic}`;

const byPartition = (a: { topic: string; partition: number }, b: { topic: string; partition: number }) =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

const checkpointValues = (groupId: string, moved: ReadonlyArray<{ topic: string; partition: number; offset: string }>) => [
  groupId,
  moved.map((m) => m.topic),
  moved.map((m) => m.partition),
  moved.map((m) => m.offset),
];

/** Locks the checkpoint rows of distinct partitions and answers them: one round trip once the rows exist. */
async function lockCheckpoints(tx: EntityManager, groupId: string, parts: ReadonlyArray<{ topic: string; partition: number }>): Promise<Map<string, bigint>> {
  const topics = parts.map((part) => part.topic);
  const partitions = parts.map((part) => part.partition);
  const lock = async () => {
    const rows = await runPrepared<{ topic: string; partition: number; offset: string }>(tx, lockCheckpointsStatement, [groupId, topics, partitions]);
    return new Map(rows.map((row) => [checkpointKey(row.topic, row.partition), BigInt(row.offset)]));
  };
  let locked = await lock();
  if (locked.size < parts.length) {
    await tx.query(
      `INSERT INTO checkpoints (group_id, topic, partition, "offset") SELECT $1, topic, partition, -1 FROM unnest($2::text[], $3::int[]) AS p(topic, partition)
       ORDER BY topic, partition ON CONFLICT DO NOTHING`,
      [groupId, topics, partitions],
    );
    locked = await lock();
  }
  return locked;
}

async function saveCheckpoints(tx: EntityManager, groupId: string, moved: ReadonlyArray<{ topic: string; partition: number; offset: string }>): Promise<void> {
  await runPrepared(tx, saveCheckpointsStatement, checkpointValues(groupId, moved));
}

/** A reason safe to store and log: the error's name and code, and our own messages (never data). */
function describe(error: unknown): string {
  const { type, code } = loggableError(error);
  const own = error instanceof Error && ['PoisonMessage', 'UnknownEventError', 'DomainError'].includes(error.name) ? `: ${error.message}` : '';
  return `${type}${code !== undefined ? ` (${code})` : ''}${own}`.slice(0, 500);
}
