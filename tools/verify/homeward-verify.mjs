#!/usr/bin/env node
// homeward-verify: checks a Homeward transparency bundle offline.
//
//   homeward-verify <bundle dir> --key <log vkey> [--witness <witness vkey>]... [--since <checkpoint file>]...
//
// The bundle format, and what each failure means, are in README.md beside this file. Exit 0 when every
// signature and proof holds; 1 naming the first failing leaf, checkpoint, manifest or older checkpoint;
// 2 when called wrongly.
//
// Why this file repeats what @homeward/transparency does: an auditor copies this one file and runs it with
// Node alone, trusting nothing of ours but what they can read here. It imports only node: modules, and
// must stay that way; its tests check it against bundles the library builds, so the two cannot drift apart.
// The witness (tools/witness) imports its checks from here, so there is one copy of them.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const NOTE_ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;
const MAX_SIGNATURES = 100; // Go's note.Open accepts 100; the spec asks for at least 16
const MAX_TIMESTAMP = 2n ** 63n - 1n;
const SIGNATURE_PREFIX = '\u2014 ';
const MANIFEST_HEADER = 'homeward-bundle/v1';

const sha256 = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
export const leafHash = (bytes) => sha256(Uint8Array.of(0), bytes);
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);
/** MTH({}) = SHA-256(""). */
const EMPTY_ROOT = sha256();

/** Standard base64, canonical spelling only, or null. */
export function decodeBase64(text) {
  if (typeof text !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** A list of base64 hashes (a proof's path) as 32-byte buffers, or null. */
export function decodeHashes(path) {
  if (!Array.isArray(path)) return null;
  const hashes = path.map(decodeBase64);
  return hashes.every((hash) => hash?.length === 32) ? hashes : null;
}

// Arithmetic, not bit operators, which cut numbers to 32 bits.
const isOdd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);
const isPowerOfTwo = (n) => n > 0 && Number.isInteger(Math.log2(n));
const allHashes = (hashes) => hashes.every((hash) => hash?.length === 32);

/** RFC 9162 §2.1.3.2: does `proof` place this leaf hash at `index` in the tree of `treeSize` leaves with this root? */
export function verifyInclusion(leaf, index, treeSize, proof, root) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  if (!allHashes([leaf, root, ...proof])) return false;
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
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of m leaves (rootM) is a prefix of the tree of n leaves (rootN)? */
export function verifyConsistency(m, n, proof, rootM, rootN) {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (!allHashes([rootM, rootN, ...proof])) return false;
  // Every tree extends the empty one, and a tree only extends itself; neither needs a proof.
  if (m === 0) return proof.length === 0 && rootM.equals(EMPTY_ROOT);
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
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
  return sn === 0 && fr.equals(rootM) && sr.equals(rootN);
}

/** Non-empty, no Unicode space, no plus. */
export const isKeyName = (name) => typeof name === 'string' && name.length > 0 && !/[\s+]/u.test(name);

/** SHA-256(key name || 0x0A || signature type || public key)[:4]. */
export const keyIdOf = (name, type, publicKey) => sha256(Buffer.from(`${name}\n`, 'utf8'), Uint8Array.of(type), publicKey).subarray(0, 4);

/** `<name>+<hex key id>+<base64(type || 32-byte Ed25519 public key)>`. */
export const formatVerifierKey = (name, type, publicKey) =>
  `${name}+${keyIdOf(name, type, publicKey).toString('hex')}+${Buffer.concat([Uint8Array.of(type), publicKey]).toString('base64')}`;

/**
 * A C2SP verifier key, type 0x01 (a note signer: the log) or 0x04 (a tlog-cosignature/v1 cosigner: a
 * witness), as { vkey, name, type, keyId, publicKey }, or null when malformed or its key id is wrong.
 */
export function parseVerifierKey(vkey) {
  if (typeof vkey !== 'string') return null;
  // The key material is base64, which may itself hold '+': only the first two separate fields.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const [name, id, material] = [vkey.slice(0, first), vkey.slice(first + 1, second), decodeBase64(vkey.slice(second + 1))];
  if (!isKeyName(name) || !material || material.length !== 33) return null;
  const type = material[0];
  if (type !== NOTE_ED25519 && type !== COSIGNATURE_V1) return null;
  const keyId = keyIdOf(name, type, material.subarray(1));
  if (keyId.toString('hex') !== id) return null;
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: material.subarray(1).toString('base64url') }, format: 'jwk' });
  return { vkey, name, type, keyId, publicKey };
}

/** What a tlog-cosignature/v1 signs: two header lines, then the whole checkpoint body. */
export const cosignatureMessage = (body, time) => Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');

/**
 * Opens a C2SP signed note against these parsed verifier keys: { body, signers } where signers maps each
 * key that signed to its signature time (cosignatures) or null, or { error }. Signatures by unknown keys
 * are ignored, as the spec requires; a malformed line, or a known key's signature that fails, refuses the
 * whole note. Which keys must have signed is the caller's to decide.
 */
export function openNote(text, keys) {
  // eslint-disable-next-line no-control-regex
  if (typeof text !== 'string' || !text.endsWith('\n') || /[\u0000-\u0009\u000B-\u001F]/.test(text)) return { error: 'not a signed note' };
  const blank = text.lastIndexOf('\n\n');
  if (blank < 0) return { error: 'not a signed note: no blank line before the signatures' };
  const body = text.slice(0, blank + 1);
  const lines = text.slice(blank + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return { error: `more than ${MAX_SIGNATURES} signatures` };
  const signers = new Map();
  for (const line of lines) {
    const match = line.startsWith(SIGNATURE_PREFIX) ? /^(\S+) (\S+)$/u.exec(line.slice(SIGNATURE_PREFIX.length)) : null;
    const bytes = match && decodeBase64(match[2]);
    if (!match || !isKeyName(match[1]) || !bytes || bytes.length < 5) return { error: `malformed signature line: ${line}` };
    const key = keys.find((candidate) => candidate.name === match[1] && candidate.keyId.equals(bytes.subarray(0, 4)));
    if (!key || signers.has(key)) continue; // a key that signs twice counts once, as in Go's note.Open
    const signature = bytes.subarray(4);
    let time = null;
    let good = false;
    if (key.type === NOTE_ED25519) {
      good = signature.length === 64 && verify(null, Buffer.from(body, 'utf8'), key.publicKey, signature);
    } else if (signature.length === 72) {
      const stamp = signature.readBigUInt64BE(0);
      good = stamp <= MAX_TIMESTAMP && verify(null, cosignatureMessage(body, stamp), key.publicKey, signature.subarray(8));
      time = Number(stamp);
    }
    if (!good) return { error: `the ${key.type === NOTE_ED25519 ? 'signature' : 'cosignature'} by ${key.name} does not verify` };
    signers.set(key, time);
  }
  return { body, signers };
}

/** C2SP tlog-checkpoint: { origin, size, rootHash } from `<origin>\n<size>\n<base64 root>\n[extension lines]`, or null. */
export function parseCheckpoint(body) {
  if (!body.endsWith('\n')) return null;
  const [origin, size, root, ...rest] = body.slice(0, -1).split('\n');
  const rootHash = decodeBase64(root ?? '');
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size ?? '') || !Number.isSafeInteger(Number(size))) return null;
  if (!rootHash || rootHash.length !== 32 || rest.some((line) => line === '')) return null;
  return { origin, size: Number(size), rootHash };
}

const b64 = (bytes) => bytes.toString('base64');

/**
 * A checkpoint note signed by the log: { checkpoint, body, signers } or { error }. The log's key is named after
 * its origin (tlog-checkpoint), so a checkpoint of another log signed with the same key is refused too.
 */
export function openCheckpoint(text, logKey, otherKeys = []) {
  const opened = openNote(text, [logKey, ...otherKeys]);
  if (opened.error) return opened;
  if (!opened.signers.has(logKey)) return { error: `not signed by the log key ${logKey.vkey}` };
  const checkpoint = parseCheckpoint(opened.body);
  if (!checkpoint) return { error: 'the signed body is not a tlog checkpoint (origin, size, base64 root)' };
  if (checkpoint.origin !== logKey.name) return { error: `origin ${checkpoint.origin} is not the log key's name ${logKey.name}` };
  return { checkpoint, body: opened.body, signers: opened.signers };
}

/** The lines of a file, split on 0x0A, as buffers; the last line ends in a newline too. */
function splitLines(bytes, file) {
  if (bytes.length === 0) return { lines: [] };
  if (bytes[bytes.length - 1] !== 0x0a) return { error: `${file}: the last line does not end in a newline` };
  const lines = [];
  for (let start = 0; start < bytes.length;) {
    const end = bytes.indexOf(0x0a, start);
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  return { lines };
}

function parseJsonLine(bytes) {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isSize = (value) => Number.isSafeInteger(value) && value >= 0;

/** The manifest's body: the lines homeward-bundle/v1, origin, tree size, selection, leaf count, base64 digest. */
function parseManifest(body) {
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 6 || lines[0] !== MANIFEST_HEADER) return null;
  const [, origin, size, selection, count, digest] = lines;
  const numbers = [size, count].every((n) => /^(0|[1-9][0-9]*)$/.test(n) && Number.isSafeInteger(Number(n)));
  const digestBytes = decodeBase64(digest);
  if (!origin || !numbers || !/^((person|stream) \S+|all)$/.test(selection) || digestBytes?.length !== 32) return null;
  return { origin, size: Number(size), selection, count: Number(count), digest: digestBytes };
}

function readBundleFile(dir, file, { optional = false } = {}) {
  try {
    return { bytes: readFileSync(join(dir, file)) };
  } catch (error) {
    if (optional && error.code === 'ENOENT') return { bytes: Buffer.alloc(0) };
    return { error: `${file}: cannot read it (${error.code ?? error.message})` };
  }
}

/** Every leaf line against its proof line and the checkpoint; the count and digest the manifest must sign. */
function checkLeaves(leafLines, proofLines, checkpoint) {
  const digest = createHash('sha256');
  let previous = -1;
  for (let i = 0; i < Math.max(leafLines.length, proofLines.length); i++) {
    const line = i + 1;
    const proof = i < proofLines.length ? parseJsonLine(proofLines[i]) : undefined;
    if (proof === undefined) return { error: `line ${line}: a leaf in leaves.ndjson with no proof beside it in proofs.ndjson` };
    const hashes = isObject(proof) ? decodeHashes(proof.path) : null;
    if (!hashes || !isSize(proof.index) || !isSize(proof.treeSize)) {
      return { error: `line ${line}: proofs.ndjson holds no {"index":…,"treeSize":…,"path":[base64…]}` };
    }
    const where = `leaf ${proof.index} (line ${line})`;
    if (i >= leafLines.length) return { error: `${where}: a proof in proofs.ndjson with no leaf beside it in leaves.ndjson` };
    if (proof.index <= previous) return { error: `${where}: indexes must increase, and the line before holds leaf ${previous}` };
    if (proof.treeSize !== checkpoint.size) {
      return { error: `${where}: the proof is for tree size ${proof.treeSize}, the checkpoint's is ${checkpoint.size}` };
    }
    if (proof.index >= checkpoint.size) return { error: `${where}: not in a tree of ${checkpoint.size} leaves` };
    const hash = leafHash(leafLines[i]);
    if (!verifyInclusion(hash, proof.index, checkpoint.size, hashes, checkpoint.rootHash)) {
      return { error: `${where}: not included in ${checkpoint.origin} at size ${checkpoint.size} (its bytes or its proof were changed)` };
    }
    digest.update(hash);
    previous = proof.index;
  }
  return { count: leafLines.length, digest: digest.digest() };
}

function checkManifest(text, logKey, checkpoint, leaves) {
  const opened = openNote(text, [logKey]);
  if (opened.error) return `manifest: ${opened.error}`;
  if (!opened.signers.has(logKey)) return `manifest: not signed by the log key ${logKey.vkey}`;
  const manifest = parseManifest(opened.body);
  if (!manifest) return `manifest: the signed body is not ${MANIFEST_HEADER}, origin, tree size, selection, leaf count, base64 digest`;
  if (manifest.origin !== checkpoint.origin || manifest.size !== checkpoint.size) {
    return (
      `manifest: signed for ${manifest.origin} at size ${manifest.size}, ` +
      `the checkpoint is ${checkpoint.origin} at size ${checkpoint.size}`
    );
  }
  if (manifest.count !== leaves.count) {
    return (
      `manifest: it signs ${manifest.count} leaves for ${manifest.selection}, ` +
      `the bundle holds ${leaves.count} (a leaf was removed or added)`
    );
  }
  if (!manifest.digest.equals(leaves.digest))
    return `manifest: the digest of the bundle's leaf hashes is not the signed one (a leaf was replaced)`;
  if (manifest.selection === 'all' && leaves.count !== checkpoint.size) {
    return `manifest: selection all must hold every leaf 0..${checkpoint.size - 1}, the bundle holds ${leaves.count}`;
  }
  return null;
}

/** consistency.ndjson: each older checkpoint, opened and parsed, with its proof; or the first error. */
function readConsistency(lines, logKey) {
  const entries = [];
  for (const [i, bytes] of lines.entries()) {
    const value = parseJsonLine(bytes);
    const path = isObject(value) ? decodeHashes(value.path) : null;
    if (!path || typeof value.checkpoint !== 'string' || !isSize(value.treeSize)) {
      return { error: `consistency: line ${i + 1}: not {"checkpoint":"<signed note>","treeSize":…,"path":[base64…]}` };
    }
    const opened = openCheckpoint(value.checkpoint, logKey);
    if (opened.error) return { error: `consistency: line ${i + 1}: ${opened.error}` };
    entries.push({ checkpoint: opened.checkpoint, treeSize: value.treeSize, path });
  }
  return { entries };
}

/** Whether an older checkpoint's entry links it to the bundle's checkpoint, or why not. */
function consistencyError({ checkpoint: old, treeSize, path }, checkpoint) {
  if (treeSize !== checkpoint.size) return `the proof is to size ${treeSize}, the bundle's checkpoint is at ${checkpoint.size}`;
  if (old.size > checkpoint.size) return `it is larger than the bundle's checkpoint at size ${checkpoint.size}: the log was rolled back`;
  if (!verifyConsistency(old.size, checkpoint.size, path, old.rootHash, checkpoint.rootHash)) {
    return (
      `root ${b64(old.rootHash)} is not a prefix of the bundle's checkpoint at size ${checkpoint.size}, ` +
      `root ${b64(checkpoint.rootHash)}: history was rewritten`
    );
  }
  return null;
}

/** Each older checkpoint the auditor kept must be signed by the log and proven a prefix of the bundle's. */
function checkSince(file, entries, logKey, checkpoint) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `since ${file}: cannot read it (${error.code ?? error.message})`;
  }
  const opened = openCheckpoint(text, logKey);
  if (opened.error) return `since ${file}: ${opened.error}`;
  const old = opened.checkpoint;
  if (old.size > checkpoint.size)
    return `since ${file}: size ${old.size} is larger than the bundle's checkpoint at size ${checkpoint.size}: the log was rolled back`;
  const entry = entries.find((candidate) => candidate.checkpoint.size === old.size && candidate.checkpoint.rootHash.equals(old.rootHash));
  if (!entry) {
    const other = entries.find((candidate) => candidate.checkpoint.size === old.size);
    return other
      ? `since ${file}: the log also signed root ${b64(other.checkpoint.rootHash)} at size ${old.size}, ` +
          `not this root ${b64(old.rootHash)}: history was rewritten`
      : `since ${file}: consistency.ndjson holds no proof for the checkpoint at size ${old.size}`;
  }
  const error = consistencyError(entry, checkpoint);
  return error ? `since ${file}: ${error}` : null;
}

/**
 * Checks a bundle directory against the log's verifier key, the witnesses' and the older checkpoints the
 * auditor kept (file paths). Answers { ok: true, message } or { ok: false, message } naming the first failure.
 */
export function verifyBundle(dir, { key, witnesses = [], since = [] }) {
  const fail = (message) => ({ ok: false, message });
  const logKey = parseVerifierKey(key);
  if (logKey?.type !== NOTE_ED25519) return fail(`checkpoint: ${key} is not a log verifier key (type 0x01)`);
  const witnessKeys = witnesses.map(parseVerifierKey);
  const badWitness = witnessKeys.findIndex((witness) => witness?.type !== COSIGNATURE_V1);
  if (badWitness >= 0) return fail(`checkpoint: ${witnesses[badWitness]} is not a witness verifier key (type 0x04)`);

  const files = {};
  for (const file of ['checkpoint', 'manifest', 'leaves.ndjson', 'proofs.ndjson', 'consistency.ndjson']) {
    const read = readBundleFile(dir, file, { optional: file === 'consistency.ndjson' });
    if (read.error) return fail(read.error);
    files[file] = read.bytes;
  }

  const opened = openCheckpoint(files.checkpoint.toString('utf8'), logKey, witnessKeys);
  if (opened.error) return fail(`checkpoint: ${opened.error}`);
  const { checkpoint, signers } = opened;
  const missing = witnessKeys.find((witness) => !signers.has(witness));
  if (missing) return fail(`checkpoint: not cosigned by the witness ${missing.vkey}`);

  const leafLines = splitLines(files['leaves.ndjson'], 'leaves.ndjson');
  const proofLines = splitLines(files['proofs.ndjson'], 'proofs.ndjson');
  const consistencyLines = splitLines(files['consistency.ndjson'], 'consistency.ndjson');
  const unsplit = [leafLines, proofLines, consistencyLines].find((split) => split.error);
  if (unsplit) return fail(unsplit.error);

  const leaves = checkLeaves(leafLines.lines, proofLines.lines, checkpoint);
  if (leaves.error) return fail(leaves.error);
  const manifestError = checkManifest(files.manifest.toString('utf8'), logKey, checkpoint, leaves);
  if (manifestError) return fail(manifestError);

  const consistency = readConsistency(consistencyLines.lines, logKey);
  if (consistency.error) return fail(consistency.error);
  // The auditor's own older checkpoints first, so that a failure names the file they gave.
  for (const file of since) {
    const error = checkSince(file, consistency.entries, logKey, checkpoint);
    if (error) return fail(error);
  }
  for (const entry of consistency.entries) {
    const error = consistencyError(entry, checkpoint);
    if (error) return fail(`consistency: checkpoint at size ${entry.checkpoint.size}: ${error}`);
  }

  const cosigners = witnessKeys.length > 0 ? witnessKeys.map((witness) => witness.name).join(', ') : 'none asked for';
  const older = consistency.entries.map((entry) => entry.checkpoint.size);
  return {
    ok: true,
    message:
      `ok: ${leaves.count} leaves included in ${checkpoint.origin} at size ${checkpoint.size}; ` +
      `cosigned by: ${cosigners}; consistent with older checkpoints at sizes: ${older.length > 0 ? older.join(', ') : 'none given'}`,
  };
}

const USAGE =
  'usage: homeward-verify <bundle dir> --key <log verifier key> [--witness <witness verifier key>]... [--since <checkpoint file>]...';

/** The command line: 0 verified, 1 a check failed, 2 called wrongly. */
export function main(argv, { stdout, stderr }) {
  const usage = (message) => {
    stderr.write(`homeward-verify: ${message}\n${USAGE}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: 'string', multiple: true },
        witness: { type: 'string', multiple: true },
        since: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usage(error.message);
  }
  const { positionals, values } = parsed;
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return usage('give exactly one bundle directory');
  if (values.key?.length !== 1) return usage('give exactly one --key: the log’s verifier key');
  const [key] = values.key;
  const logKey = parseVerifierKey(key);
  if (!logKey) return usage(`--key ${key} is not a verifier key <name>+<hex key id>+<base64 key>`);
  if (logKey.type !== NOTE_ED25519)
    return usage(`--key ${key} is a witness key (type 0x04); --key takes the log’s key (type 0x01), give a witness with --witness`);
  const witnesses = [...new Set(values.witness ?? [])];
  for (const witness of witnesses) {
    const parsedWitness = parseVerifierKey(witness);
    if (!parsedWitness) return usage(`--witness ${witness} is not a verifier key <name>+<hex key id>+<base64 key>`);
    if (parsedWitness.type !== COSIGNATURE_V1)
      return usage(`--witness ${witness} is a log key (type 0x01); --witness takes a cosigner key (type 0x04)`);
  }
  const result = verifyBundle(positionals[0], { key, witnesses, since: values.since ?? [] });
  (result.ok ? stdout : stderr).write(`${result.message}\n`);
  return result.ok ? 0 : 1;
}

// Run as a command (also through npm's bin symlink), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
