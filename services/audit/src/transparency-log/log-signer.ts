// The organisation's log key: it signs every checkpoint. It arrives like the master key, from the
// environment (AUDIT_LOG_SIGNER_KEY, or AUDIT_LOG_SIGNER_KEY_FILE naming a file a secret store
// mounts), as one line in Go's note signer format: PRIVATE+KEY+<origin>+<key id>+<base64 key>.
// The key's name is the log's origin. Production refuses to start without it; in development
// (HOMEWARD_DEV=1) the key under .local/dev-keys that `npm start` made, else one for this process.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDevelopment } from '@homeward/security';
import { COSIGNATURE_V1, NOTE_ED25519, parseSignerKey, parseVerifierKey, signerKeyOf, type SignerKey } from '@homeward/transparency';

export interface LogKeys {
  signer: SignerKey;
  /** Witnesses whose cosignatures audit accepts (AUDIT_WITNESS_KEYS): type 0x04 verifier keys. */
  witnesses: readonly string[];
}

export const devLogOrigin = 'homeward.local/audit';

/** Made by infra/dev-keys.mjs (npm start, the e2e launcher). */
export const devLogSignerFile = fileURLToPath(new URL('../../../../.local/dev-keys/log-signer.key', import.meta.url));

let ephemeral: string | undefined;

function signerKeyText(env: NodeJS.ProcessEnv, devFile: string): string {
  const inline = env.AUDIT_LOG_SIGNER_KEY?.trim();
  if (inline) return inline;
  const file = env.AUDIT_LOG_SIGNER_KEY_FILE?.trim();
  if (file) return readFileSync(file, 'utf8').trim();
  if (!isDevelopment(env)) {
    throw new Error(
      'AUDIT_LOG_SIGNER_KEY or AUDIT_LOG_SIGNER_KEY_FILE is required in production: the key that signs the audit log (see README, Audit)',
    );
  }
  if (existsSync(devFile)) return readFileSync(devFile, 'utf8').trim();
  ephemeral ??= signerKeyOf(devLogOrigin, randomBytes(32));
  return ephemeral;
}

/** The log's keys from the environment; an error names the setting, never a key. */
export function logKeysFromEnv(env: NodeJS.ProcessEnv = process.env, devFile = devLogSignerFile): LogKeys {
  const signer = parseSignerKey(signerKeyText(env, devFile));
  if (!signer || signer.type !== NOTE_ED25519)
    throw new Error('AUDIT_LOG_SIGNER_KEY is not an Ed25519 note signer key (PRIVATE+KEY+<origin>+<key id>+<base64 of 0x01 and the seed>)');
  const witnesses = (env.AUDIT_WITNESS_KEYS ?? '').split(/[\s,]+/).filter(Boolean);
  witnesses.forEach((vkey, index) => {
    if (parseVerifierKey(vkey)?.type !== COSIGNATURE_V1)
      throw new Error(
        `AUDIT_WITNESS_KEYS entry ${index + 1} is not a witness cosignature verifier key (<name>+<key id>+<base64 of 0x04 and the key>)`,
      );
  });
  return { signer, witnesses };
}

/** The Nest token of the log's keys. */
export const LOG_KEYS = Symbol('LOG_KEYS');
