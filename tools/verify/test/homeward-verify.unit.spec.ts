// The auditor's one-file verifier against bundles built with @homeward/transparency, so the copy and the
// library cannot drift apart.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  consistencyProof,
  cosignerKeyOf,
  cosignNote,
  inclusionProof,
  leafHash,
  publicKeyOf,
  rootAt,
  signNote,
  treeOf,
  type Hash,
} from '@homeward/transparency';
import { main, verifyBundle, verifyConsistency } from '../homeward-verify.mjs';
import { base64, checkpointOf, leaves, log, logKey, origin, rewritten } from './log-fixture.js';

const witnessName = 'witness.example/w1';
const keyPair = () => generateKeyPairSync('ed25519').privateKey;
const witness = keyPair();
const witnessKey = cosignerKeyOf(witnessName, publicKeyOf(witness));
const COSIGNED_AT = 1_767_225_600;

const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

type Bundle = {
  indices: number[];
  size?: number;
  data?: Buffer[];
  selection?: string;
  signer?: KeyObject;
  manifestSigner?: KeyObject;
  cosigners?: Array<[string, KeyObject]>;
  /** Older checkpoints the exporter links, each with the consistency proof it gives (default: the real one). */
  older?: Array<{ note: string; size: number; path?: Hash[] }>;
};

/** A bundle directory as the exporter writes it. */
function bundle({
  indices,
  size = leaves.length,
  data = leaves,
  selection = 'person p-1',
  signer = log,
  manifestSigner = log,
  cosigners = [[witnessName, witness]],
  older = [],
}: Bundle): string {
  const dir = tempDir('homeward-verify-');
  const { tree, note } = checkpointOf(data, size, signer);
  const cosigned = cosigners.reduce((text, [name, key]) => cosignNote(text, name, key, COSIGNED_AT), note);
  writeFileSync(join(dir, 'checkpoint'), cosigned);
  writeFileSync(join(dir, 'leaves.ndjson'), Buffer.concat(indices.flatMap((i) => [data[i]!, Buffer.from('\n')])));
  const proof = (index: number) => ({ index, treeSize: size, path: inclusionProof(index, size, tree.hashAt).map(base64) });
  writeFileSync(join(dir, 'proofs.ndjson'), indices.map((i) => line(proof(i))).join(''));
  const digest = createHash('sha256')
    .update(Buffer.concat(indices.map((i) => leafHash(data[i]!))))
    .digest('base64');
  const manifest = ['homeward-bundle/v1', origin, String(size), selection, String(indices.length), digest].map((l) => `${l}\n`).join('');
  writeFileSync(join(dir, 'manifest'), signNote(manifest, origin, manifestSigner));
  const consistency = older.map((old) => ({
    checkpoint: old.note,
    treeSize: size,
    path: (old.path ?? consistencyProof(old.size, size, tree.hashAt)).map(base64),
  }));
  writeFileSync(join(dir, 'consistency.ndjson'), consistency.map(line).join(''));
  writeFileSync(join(dir, 'README'), 'A Homeward bundle: check it with homeward-verify.\n');
  return dir;
}

/** A file's lines, changed, written back (every line keeps its newline). */
function editLines(dir: string, file: string, change: (lines: Buffer[]) => Buffer[]) {
  const bytes = readFileSync(join(dir, file));
  const lines: Buffer[] = [];
  for (let start = 0; start < bytes.length; start = bytes.indexOf(0x0a, start) + 1)
    lines.push(bytes.subarray(start, bytes.indexOf(0x0a, start)));
  writeFileSync(join(dir, file), Buffer.concat(change(lines).flatMap((l) => [l, Buffer.from('\n')])));
}
const swap = (a: number, b: number) => (lines: Buffer[]) => lines.map((l, i) => (i === a ? lines[b]! : i === b ? lines[a]! : l));
const without = (index: number) => (lines: Buffer[]) => lines.filter((_, i) => i !== (index < 0 ? lines.length + index : index));

function keep(note: string): string {
  const file = join(tempDir('homeward-since-'), 'checkpoint');
  writeFileSync(file, note);
  return file;
}

function run(args: string[]) {
  const stdout = {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
  const stderr = {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
  const code = main(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
const verified = (dir: string, ...more: string[]) => run([dir, '--key', logKey, ...more]);

describe('homeward-verify', () => {
  describe('given a bundle the exporter wrote', () => {
    it('then every leaf, the manifest and the witness check, and it exits 0 with a one-line summary', () => {
      const result = verified(bundle({ indices: [0, 4, 7, 12] }), '--witness', witnessKey);
      expect(result).toEqual({
        code: 0,
        stdout:
          `ok: 4 leaves included in ${origin} at size 13; cosigned by: ${witnessName}; ` +
          'consistent with older checkpoints at sizes: none given\n',
        stderr: '',
      });
    });
    it('then a bundle of all the leaves checks at every tree size to 13', () => {
      for (let size = 1; size <= leaves.length; size++) {
        const all = Array.from({ length: size }, (_, i) => i);
        expect(verifyBundle(bundle({ indices: all, size, selection: 'all' }), { key: logKey })).toMatchObject({ ok: true });
      }
    });
    it('then a selection with no leaf checks', () => {
      expect(verified(bundle({ indices: [], selection: 'stream s-9' })).code).toBe(0);
    });
    it('then the file runs alone with node, as an auditor runs it', () => {
      const dir = bundle({ indices: [2, 3] });
      const child = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'homeward-verify.mjs'), dir, '--key', logKey], {
        encoding: 'utf8',
      });
      expect(child).toMatchObject({ status: 0, stdout: expect.stringMatching(/^ok: 2 leaves included/), stderr: '' });
    });
  });

  describe('given a leaf that was tampered with', () => {
    it('then one byte changed in one leaf is named, and it exits 1', () => {
      const dir = bundle({ indices: [0, 4, 7] });
      editLines(dir, 'leaves.ndjson', (lines) =>
        lines.map((l, i) => (i === 1 ? Buffer.from(l.toString().replace('"position":4', '"position":5')) : l)),
      );
      const result = verified(dir);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toBe(`leaf 4 (line 2): not included in ${origin} at size 13 (its bytes or its proof were changed)\n`);
    });
    it('then a leaf line removed is named where the lines no longer match', () => {
      const dir = bundle({ indices: [0, 4, 7] });
      editLines(dir, 'leaves.ndjson', without(1));
      expect(verified(dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^leaf 4 \(line 2\): not included/) });
    });
    it('then a proof line removed is named', () => {
      const dir = bundle({ indices: [0, 4, 7] });
      editLines(dir, 'proofs.ndjson', without(-1));
      expect(verified(dir).stderr).toBe('line 3: a leaf in leaves.ndjson with no proof beside it in proofs.ndjson\n');
    });
    it.each([
      ['in the middle', 1],
      ['the last event of the stream', -1],
      ['the first', 0],
    ])('then a leaf removed with its proof (%s) is caught by the manifest', (_, index) => {
      const dir = bundle({ indices: [0, 4, 7, 12] });
      editLines(dir, 'leaves.ndjson', without(index));
      editLines(dir, 'proofs.ndjson', without(index));
      expect(verified(dir)).toMatchObject({
        code: 1,
        stderr: 'manifest: it signs 4 leaves for person p-1, the bundle holds 3 (a leaf was removed or added)\n',
      });
    });
    it('then two leaf lines swapped are named', () => {
      const dir = bundle({ indices: [0, 4, 7, 12] });
      editLines(dir, 'leaves.ndjson', swap(1, 2));
      expect(verified(dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^leaf 4 \(line 2\): not included/) });
    });
    it('then two leaves swapped with their proofs break the index order', () => {
      const dir = bundle({ indices: [0, 4, 7, 12] });
      editLines(dir, 'leaves.ndjson', swap(1, 2));
      editLines(dir, 'proofs.ndjson', swap(1, 2));
      expect(verified(dir).stderr).toBe('leaf 4 (line 3): indexes must increase, and the line before holds leaf 7\n');
    });
    it('then a proof for another tree size is named', () => {
      const dir = bundle({ indices: [5] });
      editLines(dir, 'proofs.ndjson', (lines) => lines.map((l) => Buffer.from(l.toString().replace('"treeSize":13', '"treeSize":12'))));
      expect(verified(dir).stderr).toBe("leaf 5 (line 1): the proof is for tree size 12, the checkpoint's is 13\n");
    });
    it('then a leaves file cut short of its last newline is refused', () => {
      const dir = bundle({ indices: [5] });
      writeFileSync(join(dir, 'leaves.ndjson'), leaves[5]!);
      expect(verified(dir).stderr).toBe('leaves.ndjson: the last line does not end in a newline\n');
    });
  });

  describe('given a checkpoint that is not the log’s', () => {
    it('then a checkpoint signed with another key fails, naming the log key', () => {
      const result = verified(bundle({ indices: [1], signer: keyPair() }));
      expect(result).toEqual({ code: 1, stdout: '', stderr: `checkpoint: not signed by the log key ${logKey}\n` });
    });
    it('then a checkpoint whose size was changed fails on its signature', () => {
      const dir = bundle({ indices: [1] });
      writeFileSync(join(dir, 'checkpoint'), readFileSync(join(dir, 'checkpoint'), 'utf8').replace('\n13\n', '\n14\n'));
      expect(verified(dir).stderr).toBe(`checkpoint: the signature by ${origin} does not verify\n`);
    });
    it('then a missing checkpoint file is named', () => {
      const dir = bundle({ indices: [1] });
      rmSync(join(dir, 'checkpoint'));
      expect(verified(dir)).toMatchObject({ code: 1, stderr: 'checkpoint: cannot read it (ENOENT)\n' });
    });
  });

  describe('given witnesses', () => {
    it('then a witness that did not cosign is named', () => {
      const other = cosignerKeyOf('witness.example/w2', publicKeyOf(keyPair()));
      const result = verified(bundle({ indices: [1] }), '--witness', witnessKey, '--witness', other);
      expect(result).toMatchObject({ code: 1, stderr: `checkpoint: not cosigned by the witness ${other}\n` });
    });
    it('then a witness cosignature copied from another checkpoint is refused', () => {
      const dir = bundle({ indices: [1], cosigners: [] });
      const elsewhere = cosignNote(checkpointOf(leaves, 12).note, witnessName, witness, COSIGNED_AT);
      const copied = elsewhere.slice(elsewhere.lastIndexOf('— '));
      writeFileSync(join(dir, 'checkpoint'), `${readFileSync(join(dir, 'checkpoint'), 'utf8')}${copied}`);
      expect(verified(dir, '--witness', witnessKey).stderr).toBe(`checkpoint: the cosignature by ${witnessName} does not verify\n`);
    });
    it('then two witnesses that cosigned are both reported', () => {
      const second = keyPair();
      const secondKey = cosignerKeyOf('witness.example/w2', publicKeyOf(second));
      const dir = bundle({
        indices: [1],
        cosigners: [
          [witnessName, witness],
          ['witness.example/w2', second],
        ],
      });
      expect(verified(dir, '--witness', witnessKey, '--witness', secondKey).stdout).toContain(
        `cosigned by: ${witnessName}, witness.example/w2;`,
      );
    });
  });

  describe('given a manifest that does not match', () => {
    it('then a manifest signed by another key fails', () => {
      expect(verified(bundle({ indices: [1, 2], manifestSigner: keyPair() })).stderr).toBe(
        `manifest: not signed by the log key ${logKey}\n`,
      );
    });
    it('then a manifest over other leaves fails on its digest', () => {
      const dir = bundle({ indices: [1, 2] });
      writeFileSync(join(dir, 'manifest'), readFileSync(join(bundle({ indices: [1, 3] }), 'manifest')));
      expect(verified(dir).stderr).toBe("manifest: the digest of the bundle's leaf hashes is not the signed one (a leaf was replaced)\n");
    });
    it('then a manifest for another tree size fails', () => {
      const dir = bundle({ indices: [1, 2] });
      writeFileSync(join(dir, 'manifest'), readFileSync(join(bundle({ indices: [1, 2], size: 12 }), 'manifest')));
      expect(verified(dir).stderr).toBe(`manifest: signed for ${origin} at size 12, the checkpoint is ${origin} at size 13\n`);
    });
    it('then a bundle of all leaves with one left out fails, even with a manifest to match', () => {
      const dir = bundle({ indices: [0, 1, 3], size: 4, selection: 'all' });
      expect(verified(dir).stderr).toBe('manifest: selection all must hold every leaf 0..3, the bundle holds 3\n');
    });
    it('then a missing manifest is named', () => {
      const dir = bundle({ indices: [1] });
      rmSync(join(dir, 'manifest'));
      expect(verified(dir).stderr).toBe('manifest: cannot read it (ENOENT)\n');
    });
  });

  describe('given older checkpoints the auditor kept (--since)', () => {
    const older = (size: number, data = leaves) => ({ note: checkpointOf(data, size).note, size });
    it('then checkpoints the log grew from are proven, and the summary names their sizes', () => {
      const kept = [older(1), older(8), older(13)];
      const dir = bundle({ indices: [4], older: kept });
      const result = verified(dir, ...kept.flatMap((old) => ['--since', keep(old.note)]));
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('consistent with older checkpoints at sizes: 1, 8, 13\n') });
    });
    it('then history rewritten and re-hashed since the kept checkpoint fails, naming the file', () => {
      const kept = older(8);
      const dir = bundle({ indices: [4], data: rewritten, older: [kept] });
      const file = keep(kept.note);
      expect(verified(dir, '--since', file)).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(
          new RegExp(
            `^since ${file}: root \\S+ is not a prefix of the bundle's checkpoint at size 13, root \\S+: history was rewritten\\n$`,
          ),
        ),
      });
    });
    it('then a bundle that links the rewritten log’s own checkpoint at that size shows the log signed two roots', () => {
      const kept = older(8);
      const dir = bundle({ indices: [4], data: rewritten, older: [older(8, rewritten)] });
      expect(verified(dir).code).toBe(0); // the rewritten log is consistent with itself
      expect(verified(dir, '--since', keep(kept.note)).stderr).toMatch(
        /: the log also signed root \S+ at size 8, not this root \S+: history was rewritten\n$/,
      );
    });
    it('then a kept checkpoint the bundle does not link fails', () => {
      const file = keep(older(8).note);
      expect(verified(bundle({ indices: [4] }), '--since', file).stderr).toBe(
        `since ${file}: consistency.ndjson holds no proof for the checkpoint at size 8\n`,
      );
    });
    it('then a kept checkpoint not signed by the log fails', () => {
      const file = keep(checkpointOf(leaves, 8, keyPair()).note);
      expect(verified(bundle({ indices: [4] }), '--since', file).stderr).toBe(`since ${file}: not signed by the log key ${logKey}\n`);
    });
    it('then a kept checkpoint larger than the bundle’s shows a rollback', () => {
      const kept = older(13);
      const file = keep(kept.note);
      expect(verified(bundle({ indices: [4], size: 10 }), '--since', file).stderr).toMatch(
        /size 13 is larger than the bundle's checkpoint at size 10: the log was rolled back\n$/,
      );
    });
    it('then a consistency line that does not verify fails even without --since', () => {
      const dir = bundle({ indices: [4], older: [{ ...older(8), path: consistencyProof(7, 13, treeOf(leaves.map(leafHash)).hashAt) }] });
      expect(verified(dir).stderr).toMatch(/^consistency: checkpoint at size 8: root \S+ is not a prefix/);
    });
  });

  describe('given RFC 9162 consistency proofs', () => {
    it('then every pair of sizes to 13 verifies, and a wrong root or size does not', () => {
      const tree = treeOf(leaves.map(leafHash));
      for (let n = 1; n <= leaves.length; n++) {
        for (let m = 1; m <= n; m++) {
          const proof = consistencyProof(m, n, tree.hashAt).map((h) => Buffer.from(h));
          const [rootM, rootN] = [m, n].map((size) => Buffer.from(rootAt(size, tree.hashAt)));
          expect(verifyConsistency(m, n, proof, rootM, rootN)).toBe(true);
          expect(verifyConsistency(m, n, proof, rootN, rootM)).toBe(m === n);
          if (m > 1) expect(verifyConsistency(m - 1, n, proof, rootM, rootN)).toBe(false);
        }
      }
    });
  });

  describe('given a wrong call', () => {
    const dir = bundle({ indices: [1] });
    it.each([
      ['no bundle directory', ['--key', logKey], /give exactly one bundle directory/],
      ['no --key', [dir], /give exactly one --key/],
      ['two --key', [dir, '--key', logKey, '--key', logKey], /give exactly one --key/],
      ['a witness key as --key', [dir, '--key', witnessKey], /is a witness key \(type 0x04\)/],
      ['a log key as --witness', [dir, '--key', logKey, '--witness', logKey], /is a log key \(type 0x01\)/],
      ['a malformed key', [dir, '--key', logKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')], /is not a verifier key/],
      ['an unknown option', [dir, '--key', logKey, '--keys', logKey], /Unknown option '--keys'/],
    ])('then %s is a usage error: exit 2', (_, args, message) => {
      const result = run(args);
      expect(result).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(message) });
      expect(result.stderr).toContain('usage: homeward-verify <bundle dir> --key');
    });
  });
});
