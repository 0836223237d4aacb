// A small log for the verifier's and the witness's tests, built with @homeward/transparency: its key, its
// leaves as the exporter writes them, and the same log rewritten by someone with database access.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { checkpointBody, leafHash, publicKeyOf, rootAt, signNote, treeOf, verifierKeyOf } from '@homeward/transparency';

export const origin = 'homeward.example/audit';
export const log = generateKeyPairSync('ed25519').privateKey;
export const logKey = verifierKeyOf(origin, publicKeyOf(log));

/** Leaf bytes as the exporter writes them: the canonical JSON of an entry. */
export const entryOf = (i: number, type = 'PersonReleased') =>
  Buffer.from(`{"entry":{"eventId":"e-${i}","position":${i},"streamId":"person-${i % 3}","type":"${type}"},"kind":"event"}`);
export const leaves = Array.from({ length: 13 }, (_, i) => entryOf(i));
/** The same log after leaf 3 was rewritten and everything re-hashed. */
export const rewritten = leaves.map((leaf, i) => (i === 3 ? entryOf(3, 'PersonDeported') : leaf));

export const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');

/** The tree over these leaves and a checkpoint note over its first `size`, signed by `signer`. */
export function checkpointOf(data: Buffer[], size: number, signer: KeyObject = log) {
  const tree = treeOf(data.map(leafHash));
  return { tree, note: signNote(checkpointBody({ origin, size, rootHash: rootAt(size, tree.hashAt) }), origin, signer) };
}
