// Appending in batches to stored hashes builds the same tree as building it whole, reading only the
// frontier; proofs computed through one batched read equal proofs over the whole tree.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { appendedNodes, frontierOf, subtreesRead, withStoredHashes, type StoredHash } from './log.js';
import { consistencyProof, inclusionProof, leafHash, rootAt, treeOf, type Hash } from './merkle.js';

const leaves = (n: number, from = 0) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${from + i}`)));
const key = (level: number, index: number) => `${level}:${index}`;

/** A store: what appends wrote, and every read it served. */
function store() {
  const hashes = new Map<string, Hash>();
  const reads: string[] = [];
  let size = 0;
  return {
    get size() {
      return size;
    },
    reads,
    append(batch: Hash[]) {
      const frontier = new Map(frontierOf(size).map((c) => [key(c.level, c.index), hashes.get(key(c.level, c.index))!]));
      const nodes = appendedNodes(
        size,
        (level, index) => {
          reads.push(key(level, index));
          const hash = frontier.get(key(level, index));
          if (!hash) throw new Error(`read outside the frontier: ${key(level, index)}`);
          return hash;
        },
        batch,
      );
      for (const node of nodes) {
        expect(hashes.has(key(node.level, node.index))).toBe(false); // written once, never rewritten
        hashes.set(key(node.level, node.index), node.hash);
      }
      size += batch.length;
    },
    get: (level: number, index: number) => hashes.get(key(level, index)),
    fetch: async (coordinates: { level: number; index: number }[]): Promise<StoredHash[]> =>
      coordinates.flatMap(({ level, index }) => {
        const hash = hashes.get(key(level, index));
        return hash ? [{ level, index, hash }] : [];
      }),
  };
}

describe('frontierOf', () => {
  it('names one complete subtree per set bit of the size, covering every leaf once', () => {
    for (let size = 0; size <= 300; size += 1) {
      const frontier = frontierOf(size);
      expect(frontier).toHaveLength(size.toString(2).replaceAll('0', '').length);
      expect(frontier.reduce((covered, c) => covered + 2 ** c.level, 0)).toBe(size);
    }
  });
});

describe('appendedNodes', () => {
  it('gives every complete subtree of the whole tree, whatever the batches', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const log = store();
        for (const n of batches) log.append(leaves(n, log.size));
        const whole = treeOf(leaves(log.size));
        for (let level = 0; 2 ** level <= log.size; level += 1) {
          for (let index = 0; (index + 1) * 2 ** level <= log.size; index += 1) {
            expect(log.get(level, index)).toEqual(whole.hashAt(level, index));
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('withStoredHashes', () => {
  it('answers roots and proofs equal to those over the whole tree, in one batched read', async () => {
    const log = store();
    for (const n of [1, 2, 5, 100, 3, 900]) log.append(leaves(n, log.size));
    const whole = treeOf(leaves(log.size));
    for (const size of [1, 2, 7, 64, 111, 1000, log.size]) {
      let fetches = 0;
      const fetch = async (c: { level: number; index: number }[]) => {
        fetches += 1;
        return log.fetch(c);
      };
      await expect(withStoredHashes(fetch, (hashAt) => rootAt(size, hashAt))).resolves.toEqual(rootAt(size, whole.hashAt));
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        await expect(withStoredHashes(fetch, (hashAt) => inclusionProof(index, size, hashAt))).resolves.toEqual(
          inclusionProof(index, size, whole.hashAt),
        );
      }
      for (const m of [1, Math.ceil(size / 3), size]) {
        await expect(withStoredHashes(fetch, (hashAt) => consistencyProof(m, size, hashAt))).resolves.toEqual(
          consistencyProof(m, size, whole.hashAt),
        );
      }
      expect(fetches).toBe(7);
    }
  });

  it('reads O(log n) hashes for a proof in a million-leaf tree', () => {
    const read = subtreesRead((hashAt) => inclusionProof(777_777, 1_000_000, hashAt));
    expect(read.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1_000_000)) + 2);
  });

  it('refuses to answer over a hash the store lacks', async () => {
    await expect(
      withStoredHashes(
        async () => [],
        (hashAt) => rootAt(3, hashAt),
      ),
    ).rejects.toThrow(/no subtree hash/);
  });
});
