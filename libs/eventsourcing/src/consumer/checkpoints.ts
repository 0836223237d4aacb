// A consumer group's checkpoints: per topic and partition, the offset of the last message it
// applied, stored in its own database with what it applied (the truth, not the group's offset in
// Kafka). Rows are always taken in (topic, partition) order, so that two transactions locking some
// of the same rows cannot deadlock.
import type { DataSource, EntityManager } from 'typeorm';
import { prepared, runPrepared } from '../prepared.js';

export interface CheckpointRow {
  topic: string;
  partition: number;
  offset: string;
}

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

// A row is made when new, else only moved forward.
const advanceCheckpointsStatement = prepared(
  'checkpoints_advance',
  `INSERT INTO checkpoints (group_id, topic, partition, "offset")
   SELECT $1, topic, partition, next FROM unnest($2::text[], $3::int[], $4::bigint[]) AS p(topic, partition, next)
   ON CONFLICT (group_id, topic, partition) DO UPDATE SET "offset" = excluded."offset", updated_at = now()
   WHERE checkpoints."offset" < excluded."offset"`,
);

export const checkpointKey = (topic: string, partition: number) => `${partition}:${topic}`;

const byPartition = (a: { topic: string; partition: number }, b: { topic: string; partition: number }) =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

const checkpointValues = (groupId: string, moved: readonly CheckpointRow[]) => [
  groupId,
  moved.map((m) => m.topic),
  moved.map((m) => m.partition),
  moved.map((m) => m.offset),
];

/** The group's checkpoints, all partitions. */
export async function readCheckpoints(dataSource: DataSource, groupId: string): Promise<CheckpointRow[]> {
  return dataSource.query(`SELECT topic, partition, "offset"::text AS "offset" FROM checkpoints WHERE group_id = $1`, [groupId]);
}

/** Locks the checkpoint rows of distinct partitions and answers them: one round trip once the rows exist. */
export async function lockCheckpoints(
  tx: EntityManager,
  groupId: string,
  parts: ReadonlyArray<{ topic: string; partition: number }>,
): Promise<Map<string, bigint>> {
  const topics = parts.map((part) => part.topic);
  const partitions = parts.map((part) => part.partition);
  const lock = async () => {
    const rows = await runPrepared<CheckpointRow>(tx, lockCheckpointsStatement, [groupId, topics, partitions]);
    return new Map(rows.map((row) => [checkpointKey(row.topic, row.partition), BigInt(row.offset)]));
  };
  let locked = await lock();
  if (locked.size < parts.length) {
    await tx.query(
      `INSERT INTO checkpoints (group_id, topic, partition, "offset")
       SELECT $1, topic, partition, -1 FROM unnest($2::text[], $3::int[]) AS p(topic, partition)
       ORDER BY topic, partition
       ON CONFLICT DO NOTHING`,
      [groupId, topics, partitions],
    );
    locked = await lock();
  }
  return locked;
}

/** Moves checkpoint rows locked by `lockCheckpoints` in this transaction. */
export async function saveCheckpoints(tx: EntityManager, groupId: string, moved: readonly CheckpointRow[]): Promise<void> {
  await runPrepared(tx, saveCheckpointsStatement, checkpointValues(groupId, moved));
}

/** Moves checkpoints forward (never back) in one statement, without a transaction. Sorts `moved`. */
export async function advanceCheckpoints(dataSource: DataSource, groupId: string, moved: CheckpointRow[]): Promise<void> {
  await runPrepared(dataSource, advanceCheckpointsStatement, checkpointValues(groupId, moved.sort(byPartition)));
}
