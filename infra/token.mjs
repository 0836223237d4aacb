#!/usr/bin/env node
// Mints a development JWT for the local gateway, signed with the dev key from infra/dev-keys.mjs.
// Usage: npm run -s token -- --role <role> [--sub <subject>] [--ttl <seconds>]
// Prints only the compact token on stdout, so `TOKEN=$(npm run -s token -- --role intake)` works.
// node:crypto only (EdDSA over Ed25519): it must work before anything else is built.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from './dev-keys.mjs';

export const ROLES = Object.freeze(['intake', 'documents', 'legal', 'notifications', 'operator', 'auditor', 'witness', 'admin']);
export const DEFAULT_TTL_SECONDS = 3600;

const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

class UsageError extends Error {}

function refuseInProduction() {
  // A dev signing key on disk must never become a way into a production gateway.
  if (process.env.NODE_ENV === 'production') {
    throw new Error('refusing to mint a development token with NODE_ENV=production');
  }
}

/**
 * Returns a compact JWT (EdDSA) with sub, roles: [role], iss, aud, iat, exp and jti.
 * @param {{ role: string, sub?: string, ttlSeconds?: number }} options
 */
export function mintDevToken({ role, sub = `dev-${role}`, ttlSeconds = DEFAULT_TTL_SECONDS }) {
  refuseInProduction();
  if (!ROLES.includes(role)) {
    throw new UsageError(`unknown role ${JSON.stringify(role)}; allowed: ${ROLES.join(', ')}`);
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new UsageError(`ttl must be a positive whole number of seconds, got ${ttlSeconds}`);
  }
  if (typeof sub !== 'string' || sub.length === 0) throw new UsageError('sub must be a non-empty string');

  const { privateKeyPath } = ensureDevKeys();
  const privateKey = createPrivateKey(readFileSync(privateKeyPath));
  const iat = Math.floor(Date.now() / 1000);
  const header = { alg: 'EdDSA', typ: 'JWT' };
  const claims = { sub, roles: [role], iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat, exp: iat + ttlSeconds, jti: randomUUID() };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  // Ed25519 hashes internally, so the digest argument is null.
  const signature = sign(null, Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function main() {
  const usage = `usage: npm run -s token -- --role <${ROLES.join('|')}> [--sub <subject>] [--ttl <seconds>]`;
  let options;
  try {
    ({ values: options } = parseArgs({
      options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${error.message}\n${usage}`);
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  refuseInProduction();
  if (!options.role) throw new UsageError(`--role is required\n${usage}`);
  if (options.ttl !== undefined && !/^[1-9]\d*$/.test(options.ttl)) {
    throw new UsageError(`--ttl must be a positive whole number of seconds, got ${JSON.stringify(options.ttl)}`);
  }
  const ttlSeconds = options.ttl === undefined ? DEFAULT_TTL_SECONDS : Number(options.ttl);
  const token = mintDevToken({ role: options.role, sub: options.sub ?? `dev-${options.role}`, ttlSeconds });
  process.stdout.write(`${token}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`[homeward] token: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  }
}
