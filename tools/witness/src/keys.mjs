// The witness's key: made, written to and read from its private key file, and used to sign cosignatures.
import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import {
  COSIGNATURE_V1,
  cosignatureMessage,
  decodeBase64,
  formatVerifierKey,
  isKeyName,
  keyIdOf,
  parseVerifierKey,
} from '../../verify/homeward-verify.mjs';
import { Fatal } from './outcomes.mjs';

const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Standard base64 of bytes (key material, signatures, root hashes). */
export const b64 = (bytes) => Buffer.from(bytes).toString('base64');

/** A witness key from its name and 32-byte Ed25519 seed: what it signs with and the verifier key it publishes. */
export function witnessKeyOf(name, seed) {
  if (!isKeyName(name)) throw new TypeError(`a key name is non-empty, without spaces or '+': ${JSON.stringify(name)}`);
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  const vkey = formatVerifierKey(name, COSIGNATURE_V1, publicKey);
  return {
    name,
    seed: Buffer.from(seed),
    privateKey,
    keyId: keyIdOf(name, COSIGNATURE_V1, publicKey),
    vkey,
    verifier: parseVerifierKey(vkey),
  };
}

/** `PRIVATE+KEY+<name>+<hex key id>+<base64(0x04 || seed)>`, Go's sumdb/note private key form. */
export const formatPrivateKey = (key) =>
  `${PRIVATE_KEY_PREFIX}${key.name}+${key.keyId.toString('hex')}+${b64(Buffer.concat([Uint8Array.of(COSIGNATURE_V1), key.seed]))}\n`;

/** A witness key from its private key text, or null when malformed or its key id does not match. */
export function parsePrivateKey(text) {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!line.startsWith(PRIVATE_KEY_PREFIX)) return null;
  const rest = line.slice(PRIVATE_KEY_PREFIX.length);
  const first = rest.indexOf('+');
  const second = rest.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const [name, id, material] = [rest.slice(0, first), rest.slice(first + 1, second), decodeBase64(rest.slice(second + 1))];
  if (!isKeyName(name) || material?.length !== 33 || material[0] !== COSIGNATURE_V1) return null;
  const key = witnessKeyOf(name, material.subarray(1));
  return key.keyId.toString('hex') === id ? key : null;
}

/** A new witness key written to `out` (mode 0600, never over an existing file); answers its verifier key. */
export function keygen(name, out) {
  const key = witnessKeyOf(name, randomBytes(32));
  writeFileSync(out, formatPrivateKey(key), { mode: 0o600, flag: 'wx' });
  return key.vkey;
}

/** The key in a private key file (a Fatal when unreadable or malformed); warns when others can read the file. */
export function readKeyFile(file, stderr) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Fatal(`cannot read the key file ${file} (${error.code ?? error.message})`);
  }
  const key = parsePrivateKey(text);
  if (!key) throw new Fatal(`${file} is not a witness private key PRIVATE+KEY+<name>+<hex key id>+<base64(0x04 || seed)>`);
  if ((statSync(file).mode & 0o077) !== 0)
    stderr.write(`homeward-witness: warning: ${file} can be read by others than its owner; chmod 600 it\n`);
  return key;
}

/** The cosignature line of a checkpoint body at this time (POSIX seconds). */
export function cosignatureLine(body, key, time) {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const signature = sign(null, cosignatureMessage(body, BigInt(time)), key.privateKey);
  return `\u2014 ${key.name} ${b64(Buffer.concat([key.keyId, stamp, signature]))}\n`;
}
