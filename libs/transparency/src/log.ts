// Keeping a Merkle tree in a store: which stored subtree hashes an append or a proof reads, and the
// new ones an append writes. A store answers each computation with one batched read of the
// coordinates it names, never a scan of the leaves.
import { nodeHash, type Hash, type SubtreeHashes } from './merkle.js';

/** A complete subtree of 2^level leaves starting at leaf index * 2^level (C2SP tlog-tiles numbering). */
export type Coordinate = { level: number; index: number };
export type StoredHash = Coordinate & { hash: Hash };

const key = (level: number, index: number) => `${level}:${index}`;

/** The complete subtrees along the right edge of a tree of `size` leaves: all an append needs to read. */
export function frontierOf(size: number): Coordinate[] {
  const frontier: Coordinate[] = [];
  for (let level = 0, rest = size; rest > 0; level += 1, rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) frontier.push({ level, index: rest - 1 });
  }
  return frontier;
}

/**
 * The subtree hashes that appending these leaves to a tree of `size` completes, leaves included,
 * given the hashes of its frontier. Each is final: no later append changes it.
 */
export function appendedNodes(size: number, frontier: SubtreeHashes, leafHashes: readonly Hash[]): StoredHash[] {
  const made = new Map<string, Hash>();
  const read = (level: number, index: number) => made.get(key(level, index)) ?? frontier(level, index);
  const nodes: StoredHash[] = [];
  leafHashes.forEach((hash, offset) => {
    let level = 0;
    let index = size + offset;
    let current = hash;
    for (;;) {
      made.set(key(level, index), current);
      nodes.push({ level, index, hash: current });
      if (index % 2 === 0) break;
      current = nodeHash(read(level, index - 1), current);
      level += 1;
      index = Math.floor(index / 2);
    }
  });
  return nodes;
}

const placeholder: Hash = new Uint8Array(32);

/**
 * The stored hashes a computation over a tree reads, found by running it once on placeholders
 * that are never hashed together: finding them costs arithmetic, not SHA-256.
 */
export function subtreesRead(compute: (hashAt: SubtreeHashes) => unknown): Coordinate[] {
  const seen = new Map<string, Coordinate>();
  const recorder: SubtreeHashes = (level, index) => {
    seen.set(key(level, index), { level, index });
    return placeholder;
  };
  recorder.combine = () => placeholder;
  compute(recorder);
  return [...seen.values()];
}

/**
 * Runs a computation over stored hashes with one read: what it needs is fetched first, in one
 * batch. A hash the store lacks is an error, never a placeholder in an answer.
 */
export async function withStoredHashes<T>(
  fetch: (coordinates: Coordinate[]) => Promise<StoredHash[]>,
  compute: (hashAt: SubtreeHashes) => T,
): Promise<T> {
  const coordinates = subtreesRead(compute);
  const stored = new Map((await fetch(coordinates)).map((node) => [key(node.level, node.index), node.hash]));
  return compute((level, index) => {
    const hash = stored.get(key(level, index));
    if (!hash) throw new RangeError(`the log holds no subtree hash at level ${level}, index ${index}`);
    return hash;
  });
}
