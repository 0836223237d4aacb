// One personal value, encrypted with a person's data key: AES-256-GCM, a random 96-bit IV per
// value. The ciphertext is a string, so it fits the string fields of the event contracts:
//   enc:v2:<base64url(iv | tag | ciphertext)>, bound (as additional data) to its owner and field,
//          so a value copied to another person or field does not decrypt;
//   enc:v1:<same>, unbound: what intake wrote before, still read.
// It does not name the master key: the data key, not the master key, encrypts values, so a
// rotation of the master key leaves every ciphertext as it is.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const prefix = 'enc:v1:';
const boundPrefix = 'enc:v2:';
const ivLength = 12;
const tagLength = 16;

/** A value that could not be read: the person was forgotten (key destroyed), or the text is not intact. */
export type Unreadable = { readable: false; reason: 'forgotten' | 'corrupt' };
export type Decrypted = { readable: true; value: string } | Unreadable;

export const isCiphertext = (value: string) => value.startsWith(boundPrefix) || value.startsWith(prefix);

/**
 * "" stays "": an unknown value has nothing to hide, and read models treat "" as unknown. With a
 * `binding` (owner and field, see bindingOf) the text is enc:v2 and opens only with the same one.
 */
export function encryptValue(dataKey: Buffer, plaintext: string, binding?: string): string {
  if (plaintext === '') return '';
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  if (binding !== undefined) cipher.setAAD(Buffer.from(binding, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return (binding === undefined ? prefix : boundPrefix) + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** What an enc:v2 value is bound to: whose it is and which field holds it. */
export const bindingOf = (ownerId: string, field: string) => `${ownerId}\u0000${field}`;

/**
 * Never throws: a wrong key, binding or an altered text is `corrupt`, a missing key `forgotten`.
 * A value without the prefix was written before encryption existed and is returned as it is.
 */
export function decryptValue(dataKey: Buffer | undefined, text: string, binding?: string): Decrypted {
  if (text === '' || !isCiphertext(text)) return { readable: true, value: text };
  if (!dataKey) return { readable: false, reason: 'forgotten' };
  const bound = text.startsWith(boundPrefix);
  if (bound && binding === undefined) return { readable: false, reason: 'corrupt' };
  const raw = Buffer.from(text.slice(prefix.length), 'base64url');
  if (raw.length < ivLength + tagLength) return { readable: false, reason: 'corrupt' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, raw.subarray(0, ivLength), { authTagLength: tagLength });
    if (bound) decipher.setAAD(Buffer.from(binding!, 'utf8'));
    decipher.setAuthTag(raw.subarray(ivLength, ivLength + tagLength));
    const value = Buffer.concat([decipher.update(raw.subarray(ivLength + tagLength)), decipher.final()]).toString('utf8');
    return { readable: true, value };
  } catch {
    return { readable: false, reason: 'corrupt' };
  }
}

/** Wraps a data key under a master key, bound to its owner (AAD) so a row copied to another person fails. */
export function wrapKey(masterKey: Buffer, ownerId: string, dataKey: Buffer): Buffer {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(ownerId, 'utf8'));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** undefined when the wrapped key does not open with this master key and owner. */
export function unwrapKey(masterKey: Buffer, ownerId: string, wrapped: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, ivLength), { authTagLength: tagLength });
    decipher.setAAD(Buffer.from(ownerId, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(ivLength, ivLength + tagLength));
    return Buffer.concat([decipher.update(wrapped.subarray(ivLength + tagLength)), decipher.final()]);
  } catch {
    return undefined;
  }
}
