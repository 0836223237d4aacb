#!/usr/bin/env node
// The local development signing key: an Ed25519 pair under .local/dev-keys (git-ignored), made
// once and reused, so tokens minted by `npm run token` stay valid across restarts of the gateway.
// Never used in production: there the gateway verifies against a JWKS URL.
// Usage: node infra/dev-keys.mjs   (prints the paths)
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, localDir, log, root } from './common.mjs';

export const DEV_ISSUER = 'homeward-dev';
export const DEV_AUDIENCE = 'homeward-gateway';
export const devKeysDir = path.join(localDir, 'dev-keys');
export const devPrivateKeyPath = path.join(devKeysDir, 'jwt-dev.private.pem');
export const devPublicKeyPath = path.join(devKeysDir, 'jwt-dev.public.pem');

/** Creates the key pair unless both files exist; resolves with { privateKeyPath, publicKeyPath, created }. */
export function ensureDevKeys() {
  if (existsSync(devPrivateKeyPath) && existsSync(devPublicKeyPath)) {
    return { privateKeyPath: devPrivateKeyPath, publicKeyPath: devPublicKeyPath, created: false };
  }
  ensureDir(devKeysDir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  // Write the public half last: its presence marks a complete pair. 0600 because it signs tokens
  // that the local gateway trusts.
  writeFileSync(devPrivateKeyPath, privateKey, { mode: 0o600 });
  writeFileSync(devPublicKeyPath, publicKey, { mode: 0o644 });
  // stderr, not log(): `npm run -s token` prints the token alone on stdout, even on first use.
  process.stderr.write(`[homeward] created the dev JWT key pair in ${path.relative(root, devKeysDir)}\n`);
  return { privateKeyPath: devPrivateKeyPath, publicKeyPath: devPublicKeyPath, created: true };
}

// The secret the gateway sends and every service checks on each gRPC call (GRPC_CALLER_SECRET);
// @homeward/security reads the same file when the variable is unset outside production.
export const devGrpcCallerSecretPath = path.join(devKeysDir, 'grpc-caller.secret');

/** Reads a dev secret file, making it once with `make()` (atomically: several launchers may race). */
function ensureSecretFile(file, make) {
  if (!existsSync(file)) {
    ensureDir(devKeysDir);
    const draft = `${file}.${process.pid}`;
    writeFileSync(draft, make(), { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch {
      // Made by another process meanwhile: theirs wins.
    } finally {
      unlinkSync(draft);
    }
  }
  return readFileSync(file, 'utf8').trim();
}

export const ensureGrpcCallerSecret = () => ensureSecretFile(devGrpcCallerSecretPath, () => randomBytes(32).toString('base64url'));

// The master key that wraps the personal data keys of intake and notifications
// (HOMEWARD_MASTER_KEYS, "<id>:<base64 32 bytes>"); production passes its own, see README Security.
export const devMasterKeysPath = path.join(devKeysDir, 'master-keys');

export const ensureDevMasterKeys = () => ensureSecretFile(devMasterKeysPath, () => `dev-1:${randomBytes(32).toString('base64')}`);

// The key that signs the audit log's checkpoints (AUDIT_LOG_SIGNER_KEY_FILE), in Go's note signer
// format, PRIVATE+KEY+<origin>+<key id>+<base64(0x01 || seed)>; production passes its own, see README Audit.
export const DEV_LOG_ORIGIN = 'homeward.local/audit';
export const devLogSignerPath = path.join(devKeysDir, 'log-signer.key');

function newLogSignerKey(name = DEV_LOG_ORIGIN) {
  const seed = randomBytes(32);
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  const keyId = createHash('sha256')
    .update(`${name}\n`)
    .update(Uint8Array.of(0x01))
    .update(publicKey)
    .digest()
    .subarray(0, 4)
    .toString('hex');
  return `PRIVATE+KEY+${name}+${keyId}+${Buffer.concat([Uint8Array.of(0x01), seed]).toString('base64')}`;
}

export const ensureDevLogSigner = () => {
  ensureSecretFile(devLogSignerPath, () => newLogSignerKey());
  return devLogSignerPath;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { privateKeyPath, publicKeyPath } = ensureDevKeys();
  log(`private key: ${path.relative(root, privateKeyPath)}`);
  log(`public key:  ${path.relative(root, publicKeyPath)}`);
  ensureGrpcCallerSecret();
  log(`gRPC caller secret: ${path.relative(root, devGrpcCallerSecretPath)}`);
  ensureDevMasterKeys();
  log(`master keys: ${path.relative(root, devMasterKeysPath)}`);
  ensureDevLogSigner();
  log(`audit log signer key: ${path.relative(root, devLogSignerPath)}`);
}
