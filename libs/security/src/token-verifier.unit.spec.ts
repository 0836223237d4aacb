import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, importSPKI, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import {
  createTokenVerifier,
  defaultPublicKeyFile,
  InvalidTokenError,
  tokenVerifierConfigFromEnv,
  TokenVerifierUnavailableError,
  type TokenVerifier,
} from './token-verifier.js';

const issuer = 'homeward-test';
const audience = 'homeward-gateway';

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicKeyPem: string;
let verifier: TokenVerifier;

/** Claims default to a good token; pass a claim as undefined to leave it out. */
async function mint(claims: JWTPayload = {}, options: { key?: CryptoKey; kid?: string; typ?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: 'user-1', roles: ['intake'], iss: issuer, aud: audience, iat: now, exp: now + 300, ...claims };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', ...(options.kid ? { kid: options.kid } : {}), ...(options.typ ? { typ: options.typ } : {}) })
    .sign(options.key ?? signingKey);
}

const rejection = (token: string) =>
  verifier.verify(token).then(
    () => 'accepted',
    (error: unknown) => (error instanceof InvalidTokenError ? error.reason : error),
  );

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('EdDSA')).privateKey;
  publicKeyPem = await exportSPKI(pair.publicKey);
  verifier = createTokenVerifier({ issuer, audience, key: { publicKeyPem } });
});

describe('createTokenVerifier with a local Ed25519 key', () => {
  it('accepts a good token and returns its subject and roles', async () => {
    await expect(verifier.verify(await mint({ roles: ['intake', 'admin'] }))).resolves.toEqual({
      sub: 'user-1',
      roles: ['intake', 'admin'],
    });
  });

  it('drops roles it does not know and duplicates', async () => {
    await expect(verifier.verify(await mint({ roles: ['legal', 'superuser', 'legal'] }))).resolves.toEqual({
      sub: 'user-1',
      roles: ['legal'],
    });
  });

  it('refuses an expired token, beyond the 30 s clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(await mint({ exp: now - 31 }))).toBe('expired');
    expect(await rejection(await mint({ exp: now - 10 }))).toBe('accepted');
  });

  it('remembers a verified token until it expires, never past the tolerance, and hands out copies', async () => {
    let clock = Date.now();
    const cached = createTokenVerifier({ issuer, audience, key: { publicKeyPem }, clockToleranceSeconds: 5, now: () => clock });
    const token = await mint({ exp: Math.floor(clock / 1000) + 20 });
    const first = await cached.verify(token);
    first.roles.push('admin');
    expect(await cached.verify(token)).toEqual({ sub: 'user-1', roles: ['intake'] });
    clock += 23_000; // within expiry + 5 s tolerance
    expect(await cached.verify(token)).toEqual({ sub: 'user-1', roles: ['intake'] });
    clock += 3_000; // past it: checked again, and refused
    await expect(cached.verify(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('refuses another issuer', async () => {
    expect(await rejection(await mint({ iss: 'someone-else' }))).toBe('claims');
  });

  it('refuses another audience', async () => {
    expect(await rejection(await mint({ aud: 'another-api' }))).toBe('claims');
  });

  it('refuses a token signed by another key', async () => {
    expect(await rejection(await mint({}, { key: otherKey }))).toBe('signature');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await mint()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'user-1', roles: ['admin'], iss: issuer, aud: audience, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(await rejection(`${header}.${payload}.${signature}`)).toBe('signature');
  });

  it('refuses garbage, a missing subject and a roles claim that is not a list of strings', async () => {
    expect(await rejection('not-a-jwt')).toBe('malformed');
    expect(await rejection(await mint({ sub: undefined }))).toBe('claims');
    expect(await rejection(await mint({ sub: '' }))).toBe('claims');
    expect(await rejection(await mint({ exp: undefined }))).toBe('claims');
    expect(await rejection(await mint({ roles: 'admin' }))).toBe('claims');
    expect(await rejection(await mint({ roles: [1] }))).toBe('claims');
  });

  it('refuses a token issued too long ago whatever its expiry, or with no iat', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(await mint({ iat: now - 3 * 3600, exp: now + 3600 }))).toBe('expired');
    expect(await rejection(await mint({ iat: undefined }))).toBe('claims');
    expect(await rejection(await mint({ iat: now - 600 }))).toBe('accepted');
  });

  it('refuses what is not an access token where the issuer says so: an ID or refresh token, another header typ', async () => {
    expect(await rejection(await mint({}, { typ: 'JWT' }))).toBe('accepted');
    expect(await rejection(await mint({}, { typ: 'at+jwt' }))).toBe('accepted');
    expect(await rejection(await mint({}, { typ: 'dpop+jwt' }))).toBe('claims');
    expect(await rejection(await mint({ typ: 'Bearer' }))).toBe('accepted');
    expect(await rejection(await mint({ typ: 'ID' }))).toBe('claims');
    expect(await rejection(await mint({ typ: 'Refresh' }))).toBe('claims');
  });

  it('refuses a token issued to a client not on the list, when a list is configured', async () => {
    const strict = createTokenVerifier({ issuer, audience, key: { publicKeyPem }, authorizedParties: ['caseworker-app'] });
    const outcome = (token: string) =>
      strict.verify(token).then(
        () => 'accepted',
        (error: InvalidTokenError) => error.reason,
      );
    expect(await outcome(await mint({ azp: 'caseworker-app' }))).toBe('accepted');
    expect(await outcome(await mint({ azp: 'some-other-client' }))).toBe('claims');
    expect(await outcome(await mint())).toBe('claims');
    expect(() => createTokenVerifier({ issuer, audience, key: { publicKeyPem }, maxTokenAgeSeconds: 10 })).toThrow(/maximum token age/);
  });

  it('never puts the token in its error message', async () => {
    const token = await mint({ iss: 'someone-else' });
    const error: unknown = await verifier.verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).message).not.toContain(token.split('.')[1]);
  });
});

describe('createTokenVerifier with a JWKS URL', () => {
  let server: Server;
  let up = true;
  let jwksUrl: string;

  beforeAll(async () => {
    const jwk = {
      ...(await exportJWK(await importSPKI(publicKeyPem, 'EdDSA', { extractable: true }))),
      kid: 'k1',
      alg: 'EdDSA',
      use: 'sig',
    };
    server = createServer((_req, res) => {
      if (!up) return void res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a token signed by a key of the set and refuses another key', async () => {
    const remote = createTokenVerifier({ issuer, audience, key: { jwksUrl } });
    await expect(remote.verify(await mint({}, { kid: 'k1' }))).resolves.toEqual({ sub: 'user-1', roles: ['intake'] });
    await expect(remote.verify(await mint({}, { kid: 'k1', key: otherKey }))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('says the keys are unavailable, not that the token is bad, when the JWKS cannot be fetched', async () => {
    up = false;
    try {
      const remote = createTokenVerifier({ issuer, audience, key: { jwksUrl } });
      await expect(remote.verify(await mint({}, { kid: 'k1' }))).rejects.toBeInstanceOf(TokenVerifierUnavailableError);
    } finally {
      up = true;
    }
  });
});

describe('tokenVerifierConfigFromEnv', () => {
  it('defaults to the dev key file, issuer and audience in development', () => {
    expect(tokenVerifierConfigFromEnv({ HOMEWARD_DEV: '1' })).toEqual({
      issuer: 'homeward-dev',
      audience: 'homeward-gateway',
      key: { publicKeyFile: defaultPublicKeyFile },
    });
    expect(defaultPublicKeyFile).toMatch(/\.local\/dev-keys\/jwt-dev\.public\.pem$/);
  });

  it('uses JWKS_URL, JWT_ISSUER and JWT_AUDIENCE when set', () => {
    expect(tokenVerifierConfigFromEnv({ JWKS_URL: 'https://id.example/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toEqual({
      issuer: 'i',
      audience: 'a',
      key: { jwksUrl: 'https://id.example/jwks' },
    });
  });

  it('refuses to run in production on the dev key or the dev issuer', () => {
    expect(() => tokenVerifierConfigFromEnv({})).toThrow(/JWKS_URL/);
    expect(() => tokenVerifierConfigFromEnv({ NODE_ENV: 'development' })).toThrow(/JWKS_URL/);
    expect(() => tokenVerifierConfigFromEnv({ JWKS_URL: 'http://id.example/jwks', JWT_ISSUER: 'i' })).toThrow(/https/);
    expect(() => tokenVerifierConfigFromEnv({ JWKS_URL: 'https://id.example/jwks' })).toThrow(/JWT_ISSUER/);
  });

  it('bounds the clock tolerance to five minutes', async () => {
    expect(tokenVerifierConfigFromEnv({ HOMEWARD_DEV: '1', JWT_CLOCK_TOLERANCE_SECONDS: '10' })).toMatchObject({
      clockToleranceSeconds: 10,
    });
    expect(() =>
      createTokenVerifier({
        ...tokenVerifierConfigFromEnv({ HOMEWARD_DEV: '1', JWT_CLOCK_TOLERANCE_SECONDS: '3600' }),
        key: { publicKeyPem },
      }),
    ).toThrow(/0 to 300/);
    expect(() => createTokenVerifier({ issuer, audience, key: { publicKeyPem }, clockToleranceSeconds: -1 })).toThrow(/0 to 300/);
    const strict = createTokenVerifier({ issuer, audience, key: { publicKeyPem }, clockToleranceSeconds: 0 });
    const justExpired = await mint({ exp: Math.floor(Date.now() / 1000) - 5 });
    await expect(strict.verify(justExpired)).rejects.toMatchObject({ reason: 'expired' });
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('fails at creation when the key file is missing or not Ed25519', async () => {
    expect(() => createTokenVerifier({ issuer, audience, key: { publicKeyFile: '/nonexistent/key.pem' } })).toThrow();
    const rsa = await generateKeyPair('RS256', { extractable: true });
    expect(() => createTokenVerifier({ issuer, audience, key: { publicKeyPem: '' } })).toThrow();
    const rsaPem = await exportSPKI(rsa.publicKey);
    expect(() => createTokenVerifier({ issuer, audience, key: { publicKeyPem: rsaPem } })).toThrow(/Ed25519/);
  });
});
