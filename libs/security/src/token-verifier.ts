import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, errors, jwtVerify, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { isRole, type Role } from './roles.js';
import { isDevelopment } from './deployment.js';

/** Who called: the token's subject and the roles it grants. */
export interface Principal {
  sub: string;
  roles: Role[];
}

export interface TokenVerifier {
  /** Resolves the principal, or rejects with InvalidTokenError (or TokenVerifierUnavailableError). */
  verify(token: string): Promise<Principal>;
}

/** Where the verification key comes from: a JWKS endpoint in production, a local key otherwise. */
export type TokenKeySource =
  { jwksUrl: string } | { publicKeyFile: string } | { publicKeyPem: string } | { publicKey: CryptoKey | KeyObject };

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  key: TokenKeySource;
  /** Allowed clock skew for exp/nbf/iat; 30 s unless told, never more than 5 minutes. */
  clockToleranceSeconds?: number;
  /** Oldest token accepted, by its `iat`, whatever its `exp` says; an hour unless told (1 minute to a day). */
  maxTokenAgeSeconds?: number;
  /** When given, a token's `azp` (the client it was issued to) must be one of these. */
  authorizedParties?: readonly string[];
  /** Clock for the verified-token cache (tests move it); Date.now unless told. */
  now?: () => number;
}

export const maxClockToleranceSeconds = 300;
export const defaultMaxTokenAgeSeconds = 3600;
const maxTokenAgeRange = { min: 60, max: 86_400 };

/** Header `typ` values of an access token (RFC 8725 §3.11, RFC 9068); absent is accepted too. */
const accessTokenTypes = ['jwt', 'at+jwt', 'application/at+jwt'];

export type InvalidTokenReason = 'expired' | 'signature' | 'claims' | 'malformed';

/** The token is not acceptable (401). The message says why in general terms, never what it held. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: InvalidTokenReason) {
    super(`The bearer token is not valid (${reason})`);
    this.name = 'InvalidTokenError';
  }
}

/** The keys could not be fetched (JWKS down or slow): not the caller's fault (503). */
export class TokenVerifierUnavailableError extends Error {
  constructor() {
    super('The token signing keys cannot be fetched');
    this.name = 'TokenVerifierUnavailableError';
  }
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const defaultPublicKeyFile = path.join(repoRoot, '.local/dev-keys/jwt-dev.public.pem');
export const defaultIssuer = 'homeward-dev';
export const defaultAudience = 'homeward-gateway';

/** Algorithms a JWKS may use; a local dev key is Ed25519 only. Never a symmetric one. */
const jwksAlgorithms = ['EdDSA', 'ES256', 'ES384', 'RS256', 'PS256'];

/**
 * Reads the verifier's settings from the environment: JWT_ISSUER, JWT_AUDIENCE,
 * JWT_CLOCK_TOLERANCE_SECONDS (0 to 300), and JWKS_URL when
 * set, else the Ed25519 PEM at JWT_PUBLIC_KEY_FILE. Unless HOMEWARD_DEV=1, a JWKS_URL (https) and an
 * explicit JWT_ISSUER are required, so the dev key and issuer can never be trusted in production.
 */
export function tokenVerifierConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TokenVerifierConfig {
  const jwksUrl = env['JWKS_URL'];
  if (!isDevelopment(env)) {
    if (!jwksUrl || !jwksUrl.startsWith('https://')) throw new Error('production requires JWKS_URL (https)');
    if (!env['JWT_ISSUER']) throw new Error('production requires JWT_ISSUER');
  }
  const tolerance = env['JWT_CLOCK_TOLERANCE_SECONDS'];
  const maxAge = env['JWT_MAX_AGE_SECONDS'];
  const parties =
    env['JWT_AUTHORIZED_PARTIES']
      ?.split(',')
      .map((party) => party.trim())
      .filter(Boolean) ?? [];
  return {
    issuer: env['JWT_ISSUER'] || defaultIssuer,
    audience: env['JWT_AUDIENCE'] || defaultAudience,
    key: jwksUrl ? { jwksUrl } : { publicKeyFile: path.resolve(repoRoot, env['JWT_PUBLIC_KEY_FILE'] || defaultPublicKeyFile) },
    ...(tolerance ? { clockToleranceSeconds: Number(tolerance) } : {}),
    ...(maxAge ? { maxTokenAgeSeconds: Number(maxAge) } : {}),
    ...(parties.length > 0 ? { authorizedParties: parties } : {}),
  };
}

type Key = { getKey: JWTVerifyGetKey; algorithms: string[] } | { key: CryptoKey | KeyObject; algorithms: string[] };

function resolveKey(source: TokenKeySource): Key {
  if ('jwksUrl' in source) return { getKey: createRemoteJWKSet(new URL(source.jwksUrl)), algorithms: jwksAlgorithms };
  if ('publicKey' in source) return { key: source.publicKey, algorithms: ['EdDSA'] };
  const pem = 'publicKeyPem' in source ? source.publicKeyPem : readFileSync(source.publicKeyFile, 'utf8');
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('The JWT public key must be an Ed25519 key');
  return { key, algorithms: ['EdDSA'] };
}

function classify(error: unknown, remote: boolean): unknown {
  if (error instanceof InvalidTokenError) return error;
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('expired');
  if (error instanceof errors.JWTClaimValidationFailed) return new InvalidTokenError('claims');
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return new InvalidTokenError('signature');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new InvalidTokenError('malformed');
  }
  // JWKSTimeout, JWKSInvalid, a failed fetch: the key server's fault, not the token's.
  return remote ? new TokenVerifierUnavailableError() : error;
}

/** A verified token is trusted again without its signature check for at most this long. */
export const verifiedTokenTtlMs = 60_000;
/** Tokens remembered at once; the oldest goes first. */
const verifiedTokenCacheSize = 10_000;

interface Verified {
  principal: Principal;
  /** Until when this answer stands: the token's expiry (with the tolerance) or the TTL, earlier. */
  until: number;
}

/**
 * Verifies bearer tokens: signature, issuer, audience, expiry (30 s tolerance), an `iat` no older
 * than the maximum age, a non-empty `sub` and a `roles` claim that is an array of strings. Roles
 * this system does not know are dropped. Where the issuer provides them: the header `typ` must
 * name an access token (JWT or at+jwt), a Keycloak `typ` claim must be Bearer (not an ID or a
 * refresh token), and `azp` must be an authorised client when a list is configured.
 * A local key is read once, here, so a missing key file fails at start-up.
 *
 * An app presents the same token on every request until it expires, and checking an EdDSA
 * signature was a tenth of the gateway's time per command: a token verified once is remembered
 * (by its exact text, in memory only) until it expires or for a minute, whichever comes first,
 * so a key withdrawn from the JWKS stops working within a minute. Refusals are never remembered.
 */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  const clockTolerance = config.clockToleranceSeconds ?? 30;
  if (!Number.isInteger(clockTolerance) || clockTolerance < 0 || clockTolerance > maxClockToleranceSeconds) {
    throw new Error(`The JWT clock tolerance must be a whole number of seconds from 0 to ${maxClockToleranceSeconds}`);
  }
  const maxTokenAge = config.maxTokenAgeSeconds ?? defaultMaxTokenAgeSeconds;
  if (!Number.isInteger(maxTokenAge) || maxTokenAge < maxTokenAgeRange.min || maxTokenAge > maxTokenAgeRange.max) {
    throw new Error(`The maximum token age must be a whole number of seconds from ${maxTokenAgeRange.min} to ${maxTokenAgeRange.max}`);
  }
  const key = resolveKey(config.key);
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: key.algorithms,
    clockTolerance,
    maxTokenAge,
    requiredClaims: ['exp', 'sub', 'iat'],
  };
  const parties = config.authorizedParties;
  const now = config.now ?? Date.now;
  const verified = new Map<string, Verified>();
  const remember = (token: string, principal: Principal, expiresAtSeconds: number) => {
    if (verified.size >= verifiedTokenCacheSize) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal, until: Math.min((expiresAtSeconds + clockTolerance) * 1000, now() + verifiedTokenTtlMs) });
  };
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (now() < known.until) return { sub: known.principal.sub, roles: [...known.principal.roles] };
        verified.delete(token);
      }
      try {
        const at = { ...options, currentDate: new Date(now()) };
        const { payload, protectedHeader } = 'getKey' in key ? await jwtVerify(token, key.getKey, at) : await jwtVerify(token, key.key, at);
        if (protectedHeader.typ !== undefined && !accessTokenTypes.includes(protectedHeader.typ.toLowerCase()))
          throw new InvalidTokenError('claims');
        if (payload['typ'] !== undefined && payload['typ'] !== 'Bearer') throw new InvalidTokenError('claims');
        if (parties && (typeof payload['azp'] !== 'string' || !parties.includes(payload['azp']))) throw new InvalidTokenError('claims');
        const claimed: unknown = payload['roles'] ?? [];
        if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('claims');
        if (!Array.isArray(claimed) || !claimed.every((role) => typeof role === 'string')) throw new InvalidTokenError('claims');
        const principal = { sub: payload.sub, roles: [...new Set(claimed.filter(isRole))] };
        remember(token, principal, payload.exp!);
        return { sub: principal.sub, roles: [...principal.roles] };
      } catch (error) {
        throw classify(error, 'getKey' in key);
      }
    },
  };
}
