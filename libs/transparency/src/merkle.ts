// RFC 9162 §2.1 Merkle tree hashing, proofs and their verification.
// Proofs read stored subtree hashes instead of leaves, so a store answers any proof in O(log n) reads.
import { createHash } from 'node:crypto';

export type Hash = Uint8Array;

export const HASH_SIZE = 32;

const sha256 = (...parts: Uint8Array[]): Hash => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

/** MTH({}) = SHA-256(""). */
export const EMPTY_ROOT: Hash = sha256();

export const leafHash = (bytes: Uint8Array): Hash => sha256(Uint8Array.of(0x00), bytes);

export const nodeHash = (left: Hash, right: Hash): Hash => sha256(Uint8Array.of(0x01), left, right);

export const sameHash = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a).equals(b);

/**
 * The hash of the complete subtree of 2^level leaves that starts at leaf index * 2^level
 * (C2SP tlog-tiles numbering). Such a hash never changes once its last leaf is appended,
 * so a log stores it once and reads it for every later tree size.
 */
export type SubtreeHashes = ((level: number, index: number) => Hash) & {
  /** How two hashes combine; nodeHash unless the reader only records what is read (see subtreesRead). */
  combine?: (left: Hash, right: Hash) => Hash;
};

/** The largest power of two strictly smaller than n (n > 1): RFC 9162's split point k. */
const splitOf = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));

// Arithmetic instead of bit operators: JavaScript's bit operators cut numbers to 32 bits.
const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * MTH(D[start:end]) by RFC 9162's split. A complete aligned subtree is one read; the ranges proofs
 * ask for start on a multiple of their largest power of two, so they cost one read per bit of their length.
 */
export function rangeHash(start: number, end: number, hashAt: SubtreeHashes): Hash {
  const n = end - start;
  if (n <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return hashAt(Math.log2(n), start / n);
  const k = splitOf(n);
  return (hashAt.combine ?? nodeHash)(rangeHash(start, start + k, hashAt), rangeHash(start + k, end, hashAt));
}

/** The root of a tree of `size` leaves, read from stored subtree hashes. */
export const rootAt = (size: number, hashAt: SubtreeHashes): Hash => rangeHash(0, size, hashAt);

/** The root of the tree over these leaf hashes (RFC 9162 MTH), computed directly. */
export const rootOf = (leafHashes: readonly Hash[]): Hash => rootAt(leafHashes.length, treeOf(leafHashes).hashAt);

/**
 * Every complete subtree hash over these leaves, in memory: what a store would keep, for tests,
 * for small logs and for building bundles. Complete subtrees of a prefix are those of the whole,
 * so one tree answers for every size up to its own.
 */
export function treeOf(leafHashes: readonly Hash[]): { size: number; hashAt: SubtreeHashes } {
  const levels: Hash[][] = [[...leafHashes]];
  for (let below = levels[0]!; below.length >= 2; below = levels[levels.length - 1]!) {
    const level: Hash[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) level.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(level);
  }
  const hashAt: SubtreeHashes = (level, index) => {
    const hash = levels[level]?.[index];
    if (!hash) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return hash;
  };
  return { size: leafHashes.length, hashAt };
}

const checkSize = (n: number, what: string): void => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, not ${n}`);
};

/** RFC 9162 §2.1.3.1 PATH(index, D[treeSize]): the sibling hashes from the leaf up to the root. */
export function inclusionProof(index: number, treeSize: number, hashAt: SubtreeHashes): Hash[] {
  checkSize(index, 'index');
  checkSize(treeSize, 'treeSize');
  if (index >= treeSize) throw new RangeError(`index ${index} is not in a tree of ${treeSize} leaves`);
  const path: Hash[] = [];
  // Walk down from the root; siblings are found top first, the proof lists them bottom first.
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitOf(end - start);
    if (index < start + k) {
      path.push(rangeHash(start + k, end, hashAt));
      end = start + k;
    } else {
      path.push(rangeHash(start, start + k, hashAt));
      start += k;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]): what proves the tree of m leaves is a prefix of the tree of n. */
export function consistencyProof(m: number, n: number, hashAt: SubtreeHashes): Hash[] {
  checkSize(m, 'm');
  checkSize(n, 'n');
  if (m < 1 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n} leaves (needs 0 < m <= n)`);
  const proof: Hash[] = [];
  let start = 0;
  let end = n;
  let rest = m;
  let complete = true; // SUBPROOF's b: whether the subtree is still a whole old tree
  while (rest !== end - start) {
    const k = splitOf(end - start);
    if (rest <= k) {
      proof.push(rangeHash(start + k, end, hashAt));
      end = start + k;
    } else {
      proof.push(rangeHash(start, start + k, hashAt));
      start += k;
      rest -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(rangeHash(start, end, hashAt));
  return proof.reverse();
}

const wellFormed = (hashes: readonly Uint8Array[]): boolean => hashes.every((hash) => hash.length === HASH_SIZE);

/** RFC 9162 §2.1.3.2: does `proof` place the leaf at `index` in the tree of `treeSize` leaves with this root? */
export function verifyInclusion(leaf: Hash, index: number, treeSize: number, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  if (!wellFormed([leaf, root, ...proof])) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of m leaves (rootM) is a prefix of the tree of n (rootN)? */
export function verifyConsistency(m: number, n: number, proof: readonly Hash[], rootM: Hash, rootN: Hash): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (!wellFormed([rootM, rootN, ...proof])) return false;
  // Every tree extends the empty one, and a tree only extends itself; neither needs a proof.
  if (m === 0) return proof.length === 0 && sameHash(rootM, EMPTY_ROOT);
  if (m === n) return proof.length === 0 && sameHash(rootM, rootN);
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, rootM) && sameHash(sr, rootN);
}
