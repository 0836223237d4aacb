// Development tokens for tests that call a service over gRPC as the gateway would: the gateway
// forwards its user's token, and the service verifies it with the development key (the key pair
// under .local/dev-keys that infra/dev-keys.mjs makes and the jest setup ensures).
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPublicKeyFile, tokenVerifierConfigFromEnv, type Role } from '@homeward/security';

export const devPrivateKeyFile = path.join(path.dirname(defaultPublicKeyFile), 'jwt-dev.private.pem');

/** Whose token a test call carries when the command names no actor (queries, mostly). */
export const defaultTestUser = 'test-user';

let privateKey: KeyObject | undefined;
const minted = new Map<string, { token: string; until: number }>();
const reuseMs = 5 * 60_000;

/**
 * A token signed with the development key for `sub`, with the issuer and audience the services
 * verify (JWT_ISSUER, JWT_AUDIENCE or their development defaults). Reused for a few minutes, so a
 * test that makes thousands of calls signs a handful of tokens.
 */
export function devUserToken(sub: string, roles: readonly Role[] = ['admin']): string {
  const key = `${sub}\n${roles.join(',')}`;
  const known = minted.get(key);
  if (known && Date.now() < known.until) return known.token;
  privateKey ??= createPrivateKey(readFileSync(devPrivateKeyFile));
  const { issuer, audience } = tokenVerifierConfigFromEnv();
  const iat = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub, roles, iss: issuer, aud: audience, iat, exp: iat + 3600, jti: randomUUID() };
  const input = `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part(claims)}`;
  const token = `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  minted.set(key, { token, until: Date.now() + reuseMs });
  return token;
}
