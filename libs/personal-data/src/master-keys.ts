// Master keys wrap the per-person data keys; they never encrypt personal data themselves.
// HOMEWARD_MASTER_KEYS = "id:base64key,id:base64key,…": the first is current (new and rewrapped
// data keys), the others are kept only to unwrap data keys not yet rotated.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDevelopment } from '@homeward/security';

export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface MasterKeys {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
}

const idPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses the variable; the error says which entry is wrong, never a key. */
export function parseMasterKeys(spec: string): MasterKeys {
  const keys = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index): MasterKey => {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      if (!idPattern.test(id))
        throw new Error(
          `HOMEWARD_MASTER_KEYS entry ${index + 1}: expected <id>:<base64 key>, ` +
            'the id being 1 to 64 letters, digits, dots, underscores or hyphens',
        );
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new Error(`HOMEWARD_MASTER_KEYS entry ${index + 1} (${id}): the key must be 32 bytes, base64-encoded`);
      return { id, key };
    });
  const current = keys[0];
  if (!current) throw new Error('HOMEWARD_MASTER_KEYS names no key');
  const byId = new Map<string, MasterKey>();
  for (const key of keys) {
    if (byId.has(key.id)) throw new Error(`HOMEWARD_MASTER_KEYS names the key id ${key.id} twice`);
    byId.set(key.id, key);
  }
  return { current, byId };
}

/**
 * The key of one context's Idempotency-Key fingerprints, derived from the current master key
 * (HKDF-SHA256): a fingerprint cannot be checked against a guessed request without it. After a
 * master-key rotation the fingerprints of earlier requests no longer match, so a retry of one of
 * them with its old Idempotency-Key is refused as a reused key rather than answered again.
 */
export const requestKeyOf = (masterKeys: MasterKeys, context: string): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKeys.current.key, Buffer.alloc(0), `homeward/idempotency/${context}`, 32));

/** A new key in the format of the variable, e.g. for `.local/` or a rotation. */
export const newMasterKeyEntry = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

/** Made by infra/dev-keys.mjs (npm start, the e2e launcher, docker compose's init). */
export const devMasterKeysFile = fileURLToPath(new URL('../../../.local/dev-keys/master-keys', import.meta.url));

let ephemeral: string | undefined;

/**
 * The master keys from the environment. Production refuses to start without them. In development
 * (HOMEWARD_DEV=1) the key under .local/dev-keys when it exists, so a restarted service still reads
 * what it wrote; else (an in-process test) a random key of this process, the same for every service it starts.
 */
export function masterKeysFromEnv(env: NodeJS.ProcessEnv = process.env, devFile = devMasterKeysFile): MasterKeys {
  const spec = env.HOMEWARD_MASTER_KEYS?.trim();
  if (spec) return parseMasterKeys(spec);
  if (!isDevelopment(env)) {
    throw new Error('HOMEWARD_MASTER_KEYS is required in production: the master keys that wrap personal data keys (see README, Security)');
  }
  if (existsSync(devFile)) return parseMasterKeys(readFileSync(devFile, 'utf8'));
  ephemeral ??= newMasterKeyEntry('ephemeral');
  return parseMasterKeys(ephemeral);
}
