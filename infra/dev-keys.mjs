#!/usr/bin/env node
// The local development signing key: an Ed25519 pair under .local/dev-keys (git-ignored), made
// once and reused, so tokens minted by `npm run token` stay valid across restarts of the gateway.
// Never used in production: there the gateway verifies against a JWKS URL.
// Usage: node infra/dev-keys.mjs   (prints the paths)
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { privateKeyPath, publicKeyPath } = ensureDevKeys();
  log(`private key: ${path.relative(root, privateKeyPath)}`);
  log(`public key:  ${path.relative(root, publicKeyPath)}`);
}
