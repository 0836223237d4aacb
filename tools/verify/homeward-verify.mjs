#!/usr/bin/env node
// homeward-verify: checks a transparency bundle offline.
//
//   node homeward-verify.mjs <bundle dir> --key <vkey> [--key <vkey> ...]
//
// The bundle holds `checkpoint` (a C2SP signed note over a tlog-checkpoint body), `leaves.ndjson`
// ({"index": n, "data": "<base64 leaf bytes>"} per line) and `proofs.ndjson` ({"index": n, "proof":
// ["<base64 hash>", ...]} per line). Every --key (a C2SP verifier key: the log's, type 0x01, or a
// witness's, type 0x04) must have signed the checkpoint, and every leaf's RFC 9162 inclusion proof must
// lead to the checkpoint's root. Exit 0 when all holds; 1 naming the first failing leaf or the checkpoint.
//
// Why this file repeats what @homeward/transparency does: an auditor copies this one file and runs it with
// Node alone, trusting nothing of ours but what they can read here. It imports only node: modules, and
// must stay that way; its tests check it against bundles the library builds, so the two cannot drift apart.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const sha256 = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const leafHash = (bytes) => sha256(Uint8Array.of(0), bytes);
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

/** Standard base64, canonical spelling only, or null. */
function decodeBase64(text) {
  if (typeof text !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** RFC 9162 §2.1.3.2. Arithmetic, not bit operators, which cut numbers to 32 bits. */
export function verifyInclusion(leaf, index, treeSize, proof, root) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  if (![leaf, root, ...proof].every((hash) => hash.length === 32)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

const isKeyName = (name) => name.length > 0 && !/[\s+]/u.test(name);

/** `<name>+<hex key id>+<base64(type || 32-byte Ed25519 key)>`, type 0x01 (note) or 0x04 (cosignature/v1). */
function parseVerifierKey(vkey) {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const [name, id, material] = [vkey.slice(0, first), vkey.slice(first + 1, second), decodeBase64(vkey.slice(second + 1))];
  if (!isKeyName(name) || !material || material.length !== 33 || (material[0] !== 0x01 && material[0] !== 0x04)) return null;
  const keyId = sha256(Buffer.from(`${name}\n`, 'utf8'), material).subarray(0, 4);
  if (keyId.toString('hex') !== id) return null;
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: material.subarray(1).toString('base64url') }, format: 'jwk' });
  return { vkey, name, type: material[0], keyId, publicKey };
}

/** C2SP signed-note: the body when every required key signed it, or why not. */
function openNote(text, keys) {
  // eslint-disable-next-line no-control-regex
  if (!text.endsWith('\n') || /[\u0000-\u0009\u000B-\u001F]/.test(text)) return { error: 'not a signed note' };
  const blank = text.lastIndexOf('\n\n');
  if (blank < 0) return { error: 'not a signed note: no blank line before the signatures' };
  const body = text.slice(0, blank + 1);
  const lines = text.slice(blank + 2, -1).split('\n');
  const signed = new Set();
  for (const line of lines) {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const bytes = match && decodeBase64(match[2]);
    if (!match || !isKeyName(match[1]) || !bytes || bytes.length < 5) return { error: `malformed signature line: ${line}` };
    const key = keys.find((candidate) => candidate.name === match[1] && candidate.keyId.equals(bytes.subarray(0, 4)));
    if (!key || signed.has(key)) continue; // unknown keys are ignored, as the spec requires
    const signature = bytes.subarray(4);
    let good = false;
    if (key.type === 0x01) {
      good = signature.length === 64 && verify(null, Buffer.from(body, 'utf8'), key.publicKey, signature);
    } else if (signature.length === 72) {
      const time = signature.readBigUInt64BE(0);
      const message = Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
      good = time < 2n ** 63n && verify(null, message, key.publicKey, signature.subarray(8));
    }
    if (!good) return { error: `the signature by ${key.name} does not verify` };
    signed.add(key);
  }
  const missing = keys.filter((key) => !signed.has(key));
  return missing.length > 0 ? { error: `not signed by ${missing.map((key) => key.vkey).join(', ')}` } : { body };
}

/** C2SP tlog-checkpoint: origin, size, root, optional extension lines. */
function parseCheckpoint(body) {
  const [origin, size, root, ...rest] = body.slice(0, -1).split('\n');
  const rootHash = decodeBase64(root ?? '');
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size ?? '') || !Number.isSafeInteger(Number(size))) return null;
  if (!rootHash || rootHash.length !== 32 || rest.some((line) => line === '')) return null;
  return { origin, size: Number(size), rootHash };
}

function readNdjson(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ line, text }) => {
      try {
        return { line, value: JSON.parse(text) };
      } catch {
        return { line, value: null };
      }
    });
}

/** Checks a bundle directory; answers { ok, message }. */
export function verifyBundle(dir, verifierKeys) {
  const fail = (message) => ({ ok: false, message });
  if (verifierKeys.length === 0) return fail('give at least one --key: the log’s verifier key');
  const keys = [];
  for (const vkey of verifierKeys) {
    const key = parseVerifierKey(vkey);
    if (!key) return fail(`checkpoint: malformed verifier key ${vkey}`);
    keys.push(key);
  }
  let note;
  let leaves;
  let proofs;
  try {
    note = readFileSync(join(dir, 'checkpoint'), 'utf8');
    leaves = readNdjson(join(dir, 'leaves.ndjson'));
    proofs = readNdjson(join(dir, 'proofs.ndjson'));
  } catch (error) {
    return fail(`cannot read the bundle: ${error.message}`);
  }
  const opened = openNote(note, keys);
  if (opened.error) return fail(`checkpoint: ${opened.error}`);
  const checkpoint = parseCheckpoint(opened.body);
  if (!checkpoint) return fail('checkpoint: the signed body is not a tlog checkpoint');
  const proofByIndex = new Map();
  for (const { value } of proofs) if (value && Number.isSafeInteger(value.index)) proofByIndex.set(value.index, value.proof);
  for (const { line, value } of leaves) {
    const indexed = value && Number.isSafeInteger(value.index);
    const where = indexed ? `leaf ${value.index} (leaves.ndjson line ${line})` : `leaves.ndjson line ${line}`;
    const data = value && decodeBase64(value.data);
    if (!data) return fail(`${where}: not {"index": n, "data": "<base64>"}`);
    const proof = proofByIndex.get(value.index);
    const hashes = Array.isArray(proof) ? proof.map(decodeBase64) : null;
    if (!hashes || hashes.some((hash) => !hash)) return fail(`${where}: no well-formed proof in proofs.ndjson`);
    if (!verifyInclusion(leafHash(data), value.index, checkpoint.size, hashes, checkpoint.rootHash)) {
      return fail(`${where}: not included in ${checkpoint.origin} at size ${checkpoint.size}`);
    }
  }
  return { ok: true, message: `ok: ${leaves.length} leaves included in ${checkpoint.origin} at size ${checkpoint.size}` };
}

export function main(argv, { stdout, stderr }) {
  const keys = [];
  const dirs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--key' && i + 1 < argv.length) keys.push(argv[++i]);
    else dirs.push(argv[i]);
  }
  if (dirs.length !== 1) {
    stderr.write('usage: homeward-verify <bundle dir> --key <verifier key> [--key <witness key> ...]\n');
    return 1;
  }
  const result = verifyBundle(dirs[0], keys);
  (result.ok ? stdout : stderr).write(`${result.message}\n`);
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
