// The auditor's one-file verifier against bundles built with @homeward/transparency, so the copy and the
// library cannot drift apart.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  checkpointBody,
  cosignerKeyOf,
  cosignNote,
  inclusionProof,
  leafHash,
  publicKeyOf,
  rootOf,
  signNote,
  treeOf,
  verifierKeyOf,
} from '@homeward/transparency';
import { main, verifyBundle } from '../homeward-verify.mjs';

const origin = 'homeward.example/audit';
const log = generateKeyPairSync('ed25519').privateKey;
const witness = generateKeyPairSync('ed25519').privateKey;
const logKey = verifierKeyOf(origin, publicKeyOf(log));
const witnessKey = cosignerKeyOf('witness.example/w1', publicKeyOf(witness));
const events = Array.from({ length: 13 }, (_, i) => Buffer.from(JSON.stringify({ type: 'PersonReleased', position: i })));

/** A bundle of the leaves at these indices, in a tree of `size` events, signed by the log and a witness. */
function bundle(indices: number[], size = events.length): string {
  const hashes = events.slice(0, size).map(leafHash);
  const tree = treeOf(hashes);
  const dir = mkdtempSync(join(tmpdir(), 'homeward-verify-'));
  const note = signNote(checkpointBody({ origin, size, rootHash: rootOf(hashes) }), origin, log);
  writeFileSync(join(dir, 'checkpoint'), cosignNote(note, 'witness.example/w1', witness, 1_767_225_600));
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  writeFileSync(join(dir, 'leaves.ndjson'), indices.map((index) => line({ index, data: events[index]!.toString('base64') })).join(''));
  const proofOf = (index: number) => inclusionProof(index, size, tree.hashAt).map((h) => Buffer.from(h).toString('base64'));
  const proofs = indices.map((index) => ({ index, proof: proofOf(index) }));
  writeFileSync(join(dir, 'proofs.ndjson'), proofs.map(line).join(''));
  return dir;
}

const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));

describe('homeward-verify', () => {
  describe('given a bundle the library built', () => {
    it('then every leaf checks against the log and witness keys, and it exits 0', () => {
      const dir = bundle([0, 4, 7, 12]);
      expect(verifyBundle(dir, [logKey, witnessKey])).toEqual({ ok: true, message: `ok: 4 leaves included in ${origin} at size 13` });
      const out = { text: '', write(chunk: string) { this.text += chunk; return true; } };
      expect(main([dir, '--key', logKey, '--key', witnessKey], { stdout: out, stderr: out })).toBe(0);
    });
    it('then it checks every leaf of every tree size to 13', () => {
      for (let size = 1; size <= events.length; size++) {
        const all = Array.from({ length: size }, (_, i) => i);
        expect(verifyBundle(bundle(all, size), [logKey])).toMatchObject({ ok: true });
      }
    });
  });

  describe('given a tampered bundle', () => {
    it('then a changed leaf is named, and it exits 1', () => {
      const dir = bundle([0, 4, 7]);
      const forged = Buffer.from(JSON.stringify({ type: 'PersonReleased', position: 5 })).toString('base64');
      edit(dir, 'leaves.ndjson', (text) => text.replace(events[4]!.toString('base64'), forged));
      const message = `leaf 4 (leaves.ndjson line 2): not included in ${origin} at size 13`;
      expect(verifyBundle(dir, [logKey])).toEqual({ ok: false, message });
      const err = { text: '', write(chunk: string) { this.text += chunk; return true; } };
      expect(main([dir, '--key', logKey], { stdout: err, stderr: err })).toBe(1);
      expect(err.text).toContain('leaf 4');
    });
    it('then a leaf moved to another index is named', () => {
      const dir = bundle([3, 9]);
      edit(dir, 'leaves.ndjson', (text) => text.replace('"index":9', '"index":8'));
      edit(dir, 'proofs.ndjson', (text) => text.replace('"index":9', '"index":8'));
      expect(verifyBundle(dir, [logKey]).message).toMatch(/^leaf 8 /);
    });
    it('then a truncated proof is named', () => {
      const dir = bundle([2]);
      edit(dir, 'proofs.ndjson', (text) => text.replace(/,"[^"]+"\]/, ']'));
      expect(verifyBundle(dir, [logKey]).message).toMatch(/^leaf 2 /);
    });
    it('then a changed checkpoint fails on its signature', () => {
      const dir = bundle([1]);
      edit(dir, 'checkpoint', (text) => text.replace('\n13\n', '\n14\n'));
      expect(verifyBundle(dir, [logKey])).toMatchObject({ ok: false, message: expect.stringMatching(/^checkpoint: the signature by/) });
    });
    it('then a checkpoint another key signed fails, naming the missing key', () => {
      const dir = bundle([1]);
      const stranger = verifierKeyOf(origin, publicKeyOf(generateKeyPairSync('ed25519').privateKey));
      expect(verifyBundle(dir, [stranger])).toEqual({ ok: false, message: `checkpoint: not signed by ${stranger}` });
    });
    it('then a witness that did not cosign fails', () => {
      const other = cosignerKeyOf('witness.example/w2', publicKeyOf(generateKeyPairSync('ed25519').privateKey));
      expect(verifyBundle(bundle([1]), [logKey, other])).toMatchObject({ ok: false });
    });
  });
});
