// C2SP signed-note (Ed25519, type 0x01) and tlog-cosignature/v1 (timestamped Ed25519, type 0x04).
// Verifiers are configured with verifier key strings, `<name>+<hex key id>+<base64(type || public key)>`.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const NOTE_ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof NOTE_ED25519 | typeof COSIGNATURE_V1;

/** The spec asks verifiers to accept at least 16 signatures; Go's note.Open accepts 100. */
export const MAX_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export type NoteErrorCode =
  | 'malformed-note' // not a signed note: bad characters, no blank line, a malformed signature line
  | 'malformed-verifier-key'
  | 'too-many-signatures'
  | 'invalid-signature' // a known key's signature does not verify: the whole note is refused
  | 'unverified-note'; // no known key signed it

export type NoteSigner = {
  name: string;
  keyId: string; // 8 hex digits
  type: SignatureType;
  timestamp?: number; // POSIX seconds, cosignatures only
};

export type OpenedNote =
  { ok: true; body: string; signers: NoteSigner[]; ignored: number } | { ok: false; code: NoteErrorCode; detail: string };

export type VerifierKey = { name: string; type: SignatureType; keyId: Uint8Array; publicKey: Uint8Array };

const refuse = (code: NoteErrorCode, detail: string): OpenedNote => ({ ok: false, code, detail });

/** Non-empty, no Unicode space, no plus. */
export const isValidKeyName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name) && isWellFormed(name);

const isWellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

// eslint-disable-next-line no-control-regex
const hasControlCharacter = (text: string): boolean => /[\u0000-\u0009\u000B-\u001F]/.test(text);

/** Standard base64 with padding, in its one canonical spelling, or null. */
export function decodeBase64(text: string): Buffer | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** SHA-256(key name || 0x0A || signature type || public key)[:4]. */
export const keyIdOf = (name: string, type: SignatureType, publicKey: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, type)).update(publicKey).digest().subarray(0, 4));

function verifierKeyString(name: string, type: SignatureType, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name: ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
  const id = Buffer.from(keyIdOf(name, type, publicKey)).toString('hex');
  return `${name}+${id}+${Buffer.concat([Uint8Array.of(type), publicKey]).toString('base64')}`;
}

/** The verifier key of a log (or any note signer) signing with Ed25519. */
export const verifierKeyOf = (name: string, publicKey: Uint8Array): string => verifierKeyString(name, NOTE_ED25519, publicKey);

/** The verifier key of a witness cosigning checkpoints (tlog-cosignature/v1). */
export const cosignerKeyOf = (name: string, publicKey: Uint8Array): string => verifierKeyString(name, COSIGNATURE_V1, publicKey);

/** Name, key id and key material: the material is base64, which may hold '+', so only the first two separate. */
function splitKey(text: string): [string, string, string] | null {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

export function parseVerifierKey(vkey: string): VerifierKey | null {
  const fields = splitKey(vkey);
  if (!fields) return null;
  const [name, id, key] = fields;
  const material = decodeBase64(key);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || !material || material.length !== 33) return null;
  const type = material[0];
  if (type !== NOTE_ED25519 && type !== COSIGNATURE_V1) return null;
  const publicKey = new Uint8Array(material.subarray(1));
  const keyId = keyIdOf(name, type, publicKey);
  if (Buffer.from(keyId).toString('hex') !== id) return null;
  return { name, type, keyId, publicKey };
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 private key from its 32-byte RFC 8032 seed (how keys are usually kept). */
export const ed25519KeyFromSeed = (seed: Uint8Array): KeyObject => {
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
};

/** The raw 32-byte public key of an Ed25519 key. */
export const publicKeyOf = (key: KeyObject): Uint8Array =>
  new Uint8Array(Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x ?? '', 'base64url'));

const publicKeyObject = (raw: Uint8Array): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });

/** The message a cosigner signs: two header lines, then the whole checkpoint body. */
const cosignedMessage = (body: string, timestamp: bigint): Buffer => Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');

function checkBody(body: string): void {
  if (body.length === 0 || !body.endsWith('\n')) throw new TypeError('a note body is non-empty and ends in a newline');
  if (hasControlCharacter(body) || !isWellFormed(body)) throw new TypeError('a note body holds no control character but newline');
}

const signatureLine = (name: string, keyId: Uint8Array, signature: Uint8Array): string =>
  `${SIGNATURE_PREFIX}${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;

/** The body signed with Ed25519 under this key name, as a signed note. */
export function signNote(body: string, name: string, privateKey: KeyObject): string {
  checkBody(body);
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name: ${JSON.stringify(name)}`);
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  return `${body}\n${signatureLine(name, keyIdOf(name, NOTE_ED25519, publicKeyOf(privateKey)), signature)}`;
}

/**
 * A witness's cosignature appended to a signed checkpoint. The witness must have opened the note
 * and checked consistency with what it saw before; this only signs.
 */
export function cosignNote(note: string, name: string, privateKey: KeyObject, timestamp: number): string {
  const split = splitNote(note);
  if (!split) throw new TypeError('not a signed note');
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name: ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('a cosignature time is POSIX seconds');
  const time = BigInt(timestamp);
  const stamped = Buffer.alloc(8);
  stamped.writeBigUInt64BE(time);
  const signature = sign(null, cosignedMessage(split.body, time), privateKey);
  const line = signatureLine(name, keyIdOf(name, COSIGNATURE_V1, publicKeyOf(privateKey)), Buffer.concat([stamped, signature]));
  return `${note}${line}`;
}

function splitNote(text: string): { body: string; lines: string[] } | null {
  if (!text.endsWith('\n') || hasControlCharacter(text) || !isWellFormed(text)) return null;
  const blank = text.lastIndexOf('\n\n');
  if (blank < 0) return null;
  const body = text.slice(0, blank + 1);
  const lines = text.slice(blank + 2, -1).split('\n');
  return lines.length === 0 || lines[0] === '' ? null : { body, lines };
}

type SignatureLine = { name: string; keyId: Uint8Array; signature: Buffer };

function parseSignatureLine(line: string): SignatureLine | null {
  if (!line.startsWith(SIGNATURE_PREFIX)) return null;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return null;
  const name = rest.slice(0, space);
  const bytes = decodeBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || !bytes || bytes.length < 5) return null;
  return { name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
}

function check(key: VerifierKey, body: string, signature: Buffer): NoteSigner | null {
  const signer = { name: key.name, keyId: Buffer.from(key.keyId).toString('hex'), type: key.type };
  const publicKey = publicKeyObject(key.publicKey);
  if (key.type === NOTE_ED25519) {
    return signature.length === 64 && verify(null, Buffer.from(body, 'utf8'), publicKey, signature) ? signer : null;
  }
  if (signature.length !== 72) return null;
  const time = signature.readBigUInt64BE(0);
  if (time > MAX_TIMESTAMP || time > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return verify(null, cosignedMessage(body, time), publicKey, signature.subarray(8)) ? { ...signer, timestamp: Number(time) } : null;
}

/**
 * Opens a signed note: answers its body only when a known key signed it. Signatures by unknown keys
 * (even sharing a name or a key id with a known one) are ignored; a malformed line, or a known key's
 * signature that fails, refuses the whole note, as the spec recommends.
 */
export function openNote(text: string, verifierKeys: readonly string[]): OpenedNote {
  const keys: VerifierKey[] = [];
  for (const vkey of verifierKeys) {
    const key = parseVerifierKey(vkey);
    if (!key) return refuse('malformed-verifier-key', vkey);
    keys.push(key);
  }
  const split = splitNote(text);
  if (!split) return refuse('malformed-note', 'a note is a text ending in a newline, a blank line and signature lines');
  if (split.lines.length > MAX_SIGNATURES) return refuse('too-many-signatures', `more than ${MAX_SIGNATURES} signatures`);
  const signers: NoteSigner[] = [];
  const seen = new Set<VerifierKey>();
  let ignored = 0;
  for (const line of split.lines) {
    const parsed = parseSignatureLine(line);
    if (!parsed) return refuse('malformed-note', `malformed signature line: ${line}`);
    const key = keys.find((candidate) => candidate.name === parsed.name && Buffer.from(candidate.keyId).equals(parsed.keyId));
    if (!key) {
      ignored += 1;
      continue;
    }
    // A key that signs twice counts once, as in Go's note.Open.
    if (seen.has(key)) continue;
    seen.add(key);
    const signer = check(key, split.body, parsed.signature);
    if (!signer) return refuse('invalid-signature', `the signature by ${key.name} does not verify`);
    signers.push(signer);
  }
  if (signers.length === 0) return refuse('unverified-note', 'no known key signed this note');
  return { ok: true, body: split.body, signers, ignored };
}

const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';

export type SignerKey = { name: string; type: SignatureType; privateKey: KeyObject; verifierKey: string };

/**
 * A private key in the form Go's golang.org/x/mod/sumdb/note reads, `PRIVATE+KEY+<name>+<hex key
 * id>+<base64(type || 32-byte Ed25519 seed)>`: one line holding the name, so a log's key file says
 * which origin it signs for.
 */
export function signerKeyOf(name: string, seed: Uint8Array, type: SignatureType = NOTE_ED25519): string {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name: ${JSON.stringify(name)}`);
  const publicKey = publicKeyOf(ed25519KeyFromSeed(seed));
  const id = Buffer.from(keyIdOf(name, type, publicKey)).toString('hex');
  return `${SIGNER_KEY_PREFIX}${name}+${id}+${Buffer.concat([Uint8Array.of(type), seed]).toString('base64')}`;
}

/** Reads a signer key; null when it is not one, checking that its key id matches its key. */
export function parseSignerKey(text: string): SignerKey | null {
  if (!text.startsWith(SIGNER_KEY_PREFIX)) return null;
  const [name, id, material] = splitKey(text.slice(SIGNER_KEY_PREFIX.length)) ?? ['', '', ''];
  const bytes = decodeBase64(material);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || !bytes || bytes.length !== 33) return null;
  const type = bytes[0];
  if (type !== NOTE_ED25519 && type !== COSIGNATURE_V1) return null;
  const privateKey = ed25519KeyFromSeed(bytes.subarray(1));
  const verifierKey = verifierKeyString(name, type, publicKeyOf(privateKey));
  return verifierKey.split('+')[1] === id ? { name, type, privateKey, verifierKey } : null;
}
