// The log in the audit database: tlog_head (its size, the row every append locks, so leaves take
// one total order across copy batches and access entries), tlog_leaves (which entry each index is),
// tlog_nodes (every complete subtree hash, written once) and the signed checkpoints. A root or a
// proof is one batched read of the O(log n) hashes it needs (withStoredHashes).
import { prepared, runPrepared } from '@homeward/eventsourcing';
import {
  appendedNodes,
  frontierOf,
  withStoredHashes,
  type Coordinate,
  type Hash,
  type StoredHash,
  type SubtreeHashes,
} from '@homeward/transparency';
import type { DataSource, EntityManager } from 'typeorm';
import { hashOfEntry, type LogEntry } from './leaves.js';

type Db = EntityManager | DataSource;

const lockHead = prepared('tlog_lock_head', 'SELECT size FROM tlog_head FOR UPDATE');
const readHead = prepared('tlog_head', 'SELECT size FROM tlog_head');
const moveHead = prepared('tlog_move_head', 'UPDATE tlog_head SET size = $1');
const readNodes = prepared(
  'tlog_read_nodes',
  `SELECT n.level, n.idx, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS c(level, idx) JOIN tlog_nodes n USING (level, idx)`,
);
const writeLeaves = prepared(
  'tlog_write_leaves',
  `INSERT INTO tlog_leaves (leaf_index, kind, entry_id) SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[])`,
);
const writeNodes = prepared(
  'tlog_write_nodes',
  `INSERT INTO tlog_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
);

/** The stored hashes at these coordinates (those the log has). */
export async function nodesAt(db: Db, coordinates: Coordinate[]): Promise<StoredHash[]> {
  if (coordinates.length === 0) return [];
  const rows = await runPrepared<{ level: number; idx: string; hash: Buffer }>(db, readNodes, [
    coordinates.map((c) => c.level),
    coordinates.map((c) => c.index),
  ]);
  return rows.map((row) => ({ level: row.level, index: Number(row.idx), hash: new Uint8Array(row.hash) }));
}

/** A root or proof over the stored tree, in one read. */
export const overStoredTree = <T>(db: Db, compute: (hashAt: SubtreeHashes) => T): Promise<T> =>
  withStoredHashes((c) => nodesAt(db, c), compute);

export async function logSize(db: Db): Promise<number> {
  const [head] = await runPrepared<{ size: string }>(db, readHead, []);
  return Number(head?.size ?? 0);
}

/**
 * Appends entries as the next leaves, in order, in the caller's transaction: it holds the head's
 * lock until it commits, so concurrent appends queue and no index is taken twice or skipped.
 */
export async function appendToLog(tx: EntityManager, entries: readonly LogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const [head] = await runPrepared<{ size: string }>(tx, lockHead, []);
  const size = Number(head!.size);
  const frontier = new Map((await nodesAt(tx, frontierOf(size))).map((node) => [`${node.level}:${node.index}`, node.hash]));
  const nodes = appendedNodes(
    size,
    (level, index) => {
      const hash = frontier.get(`${level}:${index}`);
      if (!hash) throw new Error(`the log's frontier lacks the subtree hash at level ${level}, index ${index}`);
      return hash;
    },
    entries.map(hashOfEntry),
  );
  await runPrepared(tx, writeLeaves, [
    entries.map((_, offset) => size + offset),
    entries.map((e) => e.kind),
    entries.map((e) => e.entryId),
  ]);
  await runPrepared(tx, writeNodes, [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => Buffer.from(n.hash))]);
  await runPrepared(tx, moveHead, [size + entries.length]);
}

/** The leaf hash at an index (level 0 of the tree). */
export async function leafHashAt(db: Db, index: number): Promise<Hash | null> {
  const [node] = await nodesAt(db, [{ level: 0, index }]);
  return node?.hash ?? null;
}
