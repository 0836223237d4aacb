// Rebuilds a read model that a consumer group feeds from other contexts' topics, while the live one
// keeps serving: a fresh consumer group reads the topics from the start into shadow tables,
// through the read model's side-effect-free `project` (no decider, no send), up to the live
// group's checkpoints. The swap then happens in ONE transaction that holds the live group's
// checkpoint rows: the live consumer locks its checkpoint first, so it waits; the shadow catches
// up to exactly those checkpoints, and the tables are renamed. The live consumer resumes at the
// next offset, on the rebuilt tables, and no event is applied twice or skipped.
import type { Broker, ConsumedEvent, IncomingBatch } from '@homeward/messaging';
import { decodeEventValue, sourceOf } from '@homeward/messaging';
import { uuidv7 } from '@homeward/observability';
import type { DataSource, EntityManager } from 'typeorm';
import { tableOf } from '@homeward/eventsourcing';
import { createShadowTable, shadowTableOf, type RebuildProgress } from './rebuild.js';

/** A read model kept by a consumer group, declared so that an operator can rebuild it. */
export interface ConsumerReadModel {
  /** Its tables, rebuilt and swapped together: one handler keeps them all. */
  tables: readonly string[];
  /** The live consumer group (without KAFKA_GROUP_PREFIX) whose checkpoints say how far it is. */
  groupId: string;
  /**
   * Applies events to the tables `tableOf` names, with no side effect. The live handler must do
   * the same to these tables (and may do more, e.g. run deciders) for a rebuild to match it.
   */
  project(tx: EntityManager, events: ConsumedEvent[], tableOf: (table: string) => string): Promise<void>;
}

export interface ConsumerRebuildOptions {
  dataSource: DataSource;
  broker: Broker;
  readModel: ConsumerReadModel;
  /** The live group as it runs (with KAFKA_GROUP_PREFIX). */
  liveGroupId: string;
  topics: readonly string[];
  onProgress?(progress: RebuildProgress): Promise<void> | void;
  /** Test hook: runs once the shadow has caught up and before the swap takes its locks. */
  beforeSwap?(): Promise<void>;
}

type Offsets = Map<string, bigint>;
const key = (topic: string, partition: number) => `${topic}:${partition}`;

export async function rebuildConsumerReadModel(options: ConsumerRebuildOptions): Promise<RebuildProgress> {
  const { dataSource, broker, readModel, liveGroupId, topics } = options;
  for (const table of readModel.tables) {
    await createShadowTable(dataSource, tableOf({ name: table }), shadowTableOf(table));
  }
  const partitions: Array<{ topic: string; partition: number }> = [];
  for (const topic of topics) for (const { partition } of await broker.endOffsets(topic)) partitions.push({ topic, partition });

  const reader = new ShadowReader(options, partitions);
  try {
    // Unlocked rounds first, so that the locked one only has the last few events to read.
    let targets = await liveCheckpoints(dataSource, liveGroupId);
    for (let round = 0; round < 5; round += 1) {
      const read = await reader.readUpTo(targets);
      const next = await liveCheckpoints(dataSource, liveGroupId);
      if (read < 100 || sameOffsets(next, targets)) break;
      targets = next;
    }
    for (const table of readModel.tables) await dataSource.query(`ALTER TABLE ${shadowTableOf(table)} SET LOGGED`);
    await options.beforeSwap?.();
    await dataSource.transaction(async (tx) => {
      const final = await lockLiveCheckpoints(tx, liveGroupId, partitions);
      await reader.readUpTo(final);
      await reader.applyRetriedDeadLetters(tx, liveGroupId);
      for (const table of readModel.tables) {
        const live = tableOf({ name: table });
        await tx.query(`ALTER TABLE ${live} RENAME TO ${live}__old`);
        await tx.query(`ALTER TABLE ${shadowTableOf(table)} RENAME TO ${live}`);
        await tx.query(`DROP TABLE ${live}__old`);
      }
    });
  } catch (error) {
    for (const table of readModel.tables) await dataSource.query(`DROP TABLE IF EXISTS ${shadowTableOf(table)}`).catch(() => undefined);
    throw error;
  } finally {
    await reader.close();
  }
  return reader.progress;
}

async function liveCheckpoints(db: Pick<EntityManager, 'query'>, groupId: string): Promise<Offsets> {
  const rows: Array<{ topic: string; partition: number; offset: string }> = await db.query(
    `SELECT topic, partition, "offset"::text AS "offset" FROM checkpoints WHERE group_id = $1`,
    [groupId],
  );
  return new Map(rows.map((row) => [key(row.topic, row.partition), BigInt(row.offset)]));
}

/** Holds the live group still: its transactions lock their checkpoint row before anything else. */
async function lockLiveCheckpoints(
  tx: EntityManager,
  groupId: string,
  partitions: Array<{ topic: string; partition: number }>,
): Promise<Offsets> {
  await tx.query(
    `INSERT INTO checkpoints (group_id, topic, partition, "offset")
     SELECT $1, t, p, -1 FROM unnest($2::text[], $3::int[]) AS x(t, p)
     ON CONFLICT DO NOTHING`,
    [groupId, partitions.map((item) => item.topic), partitions.map((item) => item.partition)],
  );
  await tx.query(`SELECT 1 FROM checkpoints WHERE group_id = $1 ORDER BY topic, partition FOR UPDATE`, [groupId]);
  return liveCheckpoints(tx, groupId);
}

function sameOffsets(a: Offsets, b: Offsets): boolean {
  return a.size === b.size && [...a].every(([name, offset]) => b.get(name) === offset);
}

/**
 * Reads the topics with a consumer group of its own into the shadow tables, partition by
 * partition, never past the given targets: what the live group applied, and nothing more. It
 * skips what the live group skipped: event ids seen before (its inbox) and dead-lettered messages.
 */
class ShadowReader {
  readonly progress: RebuildProgress = { eventsDone: 0, eventsTotal: 0 };
  /** The next offset to read, per partition. */
  private readonly next: Offsets = new Map();
  private readonly seen = new Set<string>();
  private readonly skipped = new Map<string, string>();
  private readonly groupIds: string[] = [];

  constructor(
    private readonly options: ConsumerRebuildOptions,
    private readonly partitions: Array<{ topic: string; partition: number }>,
  ) {
    for (const { topic, partition } of partitions) this.next.set(key(topic, partition), 0n);
  }

  /** Reads every partition up to its target (a checkpoint: the last offset to apply); answers how many events it applied. */
  async readUpTo(targets: Offsets): Promise<number> {
    const goal = (name: string) => targets.get(name) ?? -1n;
    const pending = () =>
      this.partitions.filter(({ topic, partition }) => this.next.get(key(topic, partition))! <= goal(key(topic, partition)));
    if (pending().length === 0) return 0;
    const before = this.progress.eventsDone;
    this.progress.eventsTotal = Math.max(
      this.progress.eventsTotal,
      this.progress.eventsDone +
        pending().reduce(
          (sum, { topic, partition }) => sum + Number(goal(key(topic, partition)) + 1n - this.next.get(key(topic, partition))!),
          0,
        ),
    );
    const deadLetters: Array<{ topic: string; partition: number; offset: string; id: string }> = await this.options.dataSource.query(
      `SELECT topic, partition, "offset"::text AS "offset", id::text FROM dead_letters WHERE group_id = $1 AND retried_at IS NULL`,
      [this.options.liveGroupId],
    );
    const dead = new Map(deadLetters.map((row) => [`${key(row.topic, row.partition)}@${row.offset}`, row.id]));

    const groupId = `${this.options.liveGroupId}.rebuild.${uuidv7()}`;
    this.groupIds.push(groupId);
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const eachBatch = async (batch: IncomingBatch) => {
      try {
        await this.applyBatch(batch, goal(key(batch.topic, batch.partition)), dead);
        if (pending().length === 0) finish();
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const subscription = await this.options.broker.subscribe({
      groupId,
      topics: [...this.options.topics],
      eachBatch,
      onAssigned: async (assignment, seek) => {
        for (const [topic, partitions] of Object.entries(assignment))
          for (const partition of partitions) seek(topic, partition, this.next.get(key(topic, partition))!.toString());
      },
      onCrash: (error) => fail(error),
    });
    try {
      await done;
    } finally {
      await subscription.stop();
    }
    return this.progress.eventsDone - before;
  }

  private async applyBatch(batch: IncomingBatch, target: bigint, dead: Map<string, string>): Promise<void> {
    const name = key(batch.topic, batch.partition);
    const events: ConsumedEvent[] = [];
    let last: bigint | null = null;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (offset < this.next.get(name)! || offset > target) continue;
      last = offset;
      const deadId = dead.get(`${name}@${message.offset}`);
      if (deadId !== undefined) {
        this.skipped.set(deadId, name);
        continue;
      }
      const event = {
        ...decodeEventValue(sourceOf(message.headers), message.value),
        position: { topic: batch.topic, partition: batch.partition, offset: message.offset },
      };
      if (this.seen.has(event.eventId)) continue;
      this.seen.add(event.eventId);
      events.push(event);
    }
    if (last === null) return;
    if (events.length > 0) {
      await this.options.dataSource.transaction((tx) => this.options.readModel.project(tx, events, shadowTableOf));
    }
    this.next.set(name, last + 1n);
    this.progress.eventsDone += events.length;
    await this.options.onProgress?.(this.progress);
    await batch.heartbeat();
  }

  /** Dead letters skipped here but retried by an operator since: the live group applied them. */
  async applyRetriedDeadLetters(tx: EntityManager, liveGroupId: string): Promise<void> {
    if (this.skipped.size === 0) return;
    const rows: Array<{ topic: string; partition: number; offset: string; value: Buffer; headers: Record<string, string> }> =
      await tx.query(
        `SELECT topic, partition, "offset"::text AS "offset", value, headers FROM dead_letters
         WHERE group_id = $1 AND id = ANY($2::bigint[]) AND retried_at IS NOT NULL
         ORDER BY id`,
        [liveGroupId, [...this.skipped.keys()]],
      );
    const events = rows
      .map((row) => ({
        ...decodeEventValue(sourceOf(row.headers), row.value),
        position: { topic: row.topic, partition: row.partition, offset: row.offset },
      }))
      .filter((event) => !this.seen.has(event.eventId));
    if (events.length > 0) await this.options.readModel.project(tx, events, shadowTableOf);
  }

  async close(): Promise<void> {
    await this.options.broker.deleteGroups(this.groupIds).catch(() => undefined);
  }
}
