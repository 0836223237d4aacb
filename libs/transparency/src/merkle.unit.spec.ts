// The Merkle tree against the RFC's own definitions, written out naively below, for every size to 1,000,
// against the Certificate Transparency vectors, and against tampering.
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  rootAt,
  rootOf,
  treeOf,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type SubtreeHashes,
} from './merkle.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());

// The reference: RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF over leaf data, as written there.
// MTH is memoised by range only so that a thousand trees stay fast; the recursion is the RFC's.
function reference(leaves: readonly Uint8Array[]) {
  const memo = new Map<string, Hash>();
  const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
  const mth = (s: number, e: number): Hash => {
    const key = `${s}:${e}`;
    let hash = memo.get(key);
    if (!hash) {
      if (e - s === 0) hash = sha();
      else if (e - s === 1) hash = sha(Uint8Array.of(0), leaves[s]!);
      else hash = sha(Uint8Array.of(1), mth(s, s + k(e - s)), mth(s + k(e - s), e));
      memo.set(key, hash);
    }
    return hash;
  };
  const path = (m: number, s: number, e: number): Hash[] => {
    if (e - s === 1) return [];
    const split = k(e - s);
    return m < split ? [...path(m, s, s + split), mth(s + split, e)] : [...path(m - split, s + split, e), mth(s, s + split)];
  };
  const subproof = (m: number, s: number, e: number, b: boolean): Hash[] => {
    if (m === e - s) return b ? [] : [mth(s, e)];
    const split = k(e - s);
    return m <= split
      ? [...subproof(m, s, s + split, b), mth(s + split, e)]
      : [...subproof(m - split, s + split, e, false), mth(s, s + split)];
  };
  return {
    root: (n: number) => mth(0, n),
    path: (m: number, n: number) => path(m, 0, n),
    proof: (m: number, n: number) => subproof(m, 0, n, true),
  };
}

const MAX = 1000;
const data = Array.from({ length: MAX }, (_, i) => new Uint8Array(Buffer.from(`event ${i}`)));
const naive = reference(data);
const stored = treeOf(data.map(leafHash));

/** The stored hashes seen as a store of a tree of `size` leaves: reads past it fail, reads are counted. */
function storeOf(size: number) {
  const store = {
    reads: 0,
    hashAt: ((level, index) => {
      if ((index + 1) * 2 ** level > size) throw new Error(`read past the tree: level ${level}, index ${index}, size ${size}`);
      store.reads += 1;
      return stored.hashAt(level, index);
    }) as SubtreeHashes,
  };
  return store;
}

const edgesOf = (n: number) => {
  const power = 2 ** Math.floor(Math.log2(n));
  return [0, 1, n - 2, n - 1, Math.floor(n / 2), power - 1, power, power / 2].filter((i) => Number.isInteger(i) && i >= 0 && i < n);
};

describe('Merkle tree (RFC 9162 §2.1)', () => {
  describe('given the Certificate Transparency test leaves', () => {
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
    const hashes = leaves.map(leafHash);
    const tree = treeOf(hashes);
    const roots = [
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    it('then the root of every size 0..8 is the published one', () => {
      expect(hex(EMPTY_ROOT)).toBe(roots[0]);
      for (let n = 0; n <= 8; n++) expect(hex(rootOf(hashes.slice(0, n)))).toBe(roots[n]);
      for (let n = 0; n <= 8; n++) expect(hex(rootAt(n, tree.hashAt))).toBe(roots[n]);
    });
    it.each([
      [
        0,
        8,
        [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      ],
      [
        5,
        8,
        [
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      ],
    ])('then the inclusion proof of leaf %i in %i is the published one', (index, size, proof) => {
      expect(inclusionProof(index, size, tree.hashAt).map(hex)).toEqual(proof);
      expect(verifyInclusion(hashes[index]!, index, size, proof.map(unhex), unhex(roots[size]!))).toBe(true);
    });
    it.each([
      [
        2,
        8,
        [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      ],
      [
        6,
        8,
        [
          '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      ],
      [
        2,
        5,
        [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        ],
      ],
    ])('then the consistency proof from %i to %i is the published one', (m, n, proof) => {
      expect(consistencyProof(m, n, tree.hashAt).map(hex)).toEqual(proof);
      expect(verifyConsistency(m, n, proof.map(unhex), unhex(roots[m]!), unhex(roots[n]!))).toBe(true);
    });
  });

  describe('given every tree size from 1 to 1,000', () => {
    it('then roots, inclusion and consistency proofs equal the RFC definitions, verify, and read O(log n) stored hashes', () => {
      for (let n = 1; n <= MAX; n++) {
        const root = naive.root(n);
        expect(hex(rootAt(n, storeOf(n).hashAt))).toBe(hex(root));
        const bound = 2 * Math.ceil(Math.log2(n)) + 2;
        const indices = new Set([...edgesOf(n), ...fc.sample(fc.integer({ min: 0, max: n - 1 }), { numRuns: 3, seed: n })]);
        for (const index of indices) {
          const store = storeOf(n);
          const proof = inclusionProof(index, n, store.hashAt);
          expect(proof.map(hex)).toEqual(naive.path(index, n).map(hex));
          expect(store.reads).toBeLessThanOrEqual(bound);
          expect(verifyInclusion(leafHash(data[index]!), index, n, proof, root)).toBe(true);
        }
        const olds = new Set([...edgesOf(n).map((i) => i + 1), ...fc.sample(fc.integer({ min: 1, max: n }), { numRuns: 3, seed: -n })]);
        for (const m of olds) {
          const store = storeOf(n);
          const proof = consistencyProof(m, n, store.hashAt);
          expect(proof.map(hex)).toEqual(naive.proof(m, n).map(hex));
          expect(store.reads).toBeLessThanOrEqual(bound);
          expect(verifyConsistency(m, n, proof, naive.root(m), root)).toBe(true);
        }
      }
    });
  });

  describe('given random leaves', () => {
    const arbitraryTree = fc
      .array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 300 })
      .chain((leaves) => fc.tuple(fc.constant(leaves), fc.nat({ max: leaves.length - 1 }), fc.integer({ min: 1, max: leaves.length })));
    it('then the root, every proof and its verification agree with the reference', () => {
      fc.assert(
        fc.property(arbitraryTree, ([leaves, index, m]) => {
          const ref = reference(leaves);
          const tree = treeOf(leaves.map(leafHash));
          const n = leaves.length;
          expect(hex(rootOf(leaves.map(leafHash)))).toBe(hex(ref.root(n)));
          expect(inclusionProof(index, n, tree.hashAt).map(hex)).toEqual(ref.path(index, n).map(hex));
          expect(consistencyProof(m, n, tree.hashAt).map(hex)).toEqual(ref.proof(m, n).map(hex));
          expect(verifyInclusion(leafHash(leaves[index]!), index, n, inclusionProof(index, n, tree.hashAt), ref.root(n))).toBe(true);
          expect(verifyConsistency(m, n, consistencyProof(m, n, tree.hashAt), ref.root(m), ref.root(n))).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  });

  // A claimed size is not checked here: proofs for nearby sizes can share a shape, and the signed checkpoint binds the size.
  describe('given a tampered inclusion proof', () => {
    const sizes = fc.integer({ min: 2, max: MAX }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n - 1 })));
    const flip = (hash: Hash) => Uint8Array.from(hash, (byte, i) => (i === 7 ? byte ^ 1 : byte));
    it('then a changed leaf, a wrong index, a truncated, extended or altered proof and swapped siblings all fail', () => {
      fc.assert(
        fc.property(sizes, ([n, index]) => {
          const proof = inclusionProof(index, n, stored.hashAt);
          const root = naive.root(n);
          const leaf = leafHash(data[index]!);
          expect(verifyInclusion(leafHash(data[(index + 1) % n]!), index, n, proof, root)).toBe(false);
          expect(verifyInclusion(flip(leaf), index, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, (index + 1) % n, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, n, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(leaf, index, n, [...proof, leaf], root)).toBe(false);
          expect(
            verifyInclusion(
              leaf,
              index,
              n,
              proof.map((h, i) => (i === 0 ? flip(h) : h)),
              root,
            ),
          ).toBe(false);
          if (proof.length >= 2) expect(verifyInclusion(leaf, index, n, [proof[1]!, proof[0]!, ...proof.slice(2)], root)).toBe(false);
          expect(verifyInclusion(leaf, index, n, proof, naive.root(n - 1))).toBe(false);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('given a tampered consistency proof', () => {
    const pairs = fc.integer({ min: 2, max: MAX }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));
    it('then wrong roots, a truncated, extended or altered proof and swapped hashes all fail', () => {
      fc.assert(
        fc.property(pairs, ([m, n]) => {
          const proof = consistencyProof(m, n, stored.hashAt);
          const [rootM, rootN] = [naive.root(m), naive.root(n)];
          expect(verifyConsistency(m, n, proof, naive.root(m === 1 ? 2 : m - 1), rootN)).toBe(false);
          expect(verifyConsistency(m, n, proof, rootM, naive.root(n - 1))).toBe(false);
          expect(verifyConsistency(m, n, proof.slice(0, -1), rootM, rootN)).toBe(false);
          expect(verifyConsistency(m, n, [...proof, rootM], rootM, rootN)).toBe(false);
          if (proof.length >= 2) expect(verifyConsistency(m, n, [proof[1]!, proof[0]!, ...proof.slice(2)], rootM, rootN)).toBe(false);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('given degenerate sizes', () => {
    it('then the empty tree and a tree with itself need no proof, and nothing else is accepted without one', () => {
      expect(verifyConsistency(0, 5, [], EMPTY_ROOT, naive.root(5))).toBe(true);
      expect(verifyConsistency(0, 5, [], naive.root(1), naive.root(5))).toBe(false);
      expect(verifyConsistency(5, 5, [], naive.root(5), naive.root(5))).toBe(true);
      expect(verifyConsistency(5, 5, [], naive.root(5), naive.root(6))).toBe(false);
      expect(verifyConsistency(5, 4, [], naive.root(5), naive.root(4))).toBe(false);
      expect(verifyConsistency(3, 5, [], naive.root(3), naive.root(5))).toBe(false);
      expect(verifyInclusion(leafHash(data[0]!), 0, 1, [], naive.root(1))).toBe(true);
      expect(verifyInclusion(leafHash(data[0]!), 0, 0, [], EMPTY_ROOT)).toBe(false);
      expect(verifyInclusion(leafHash(data[0]!), -1, 1, [], naive.root(1))).toBe(false);
      expect(() => inclusionProof(3, 3, stored.hashAt)).toThrow(RangeError);
      expect(() => consistencyProof(0, 3, stored.hashAt)).toThrow(RangeError);
      expect(() => consistencyProof(4, 3, stored.hashAt)).toThrow(RangeError);
    });
  });
});
