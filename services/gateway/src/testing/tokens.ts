// Tokens for tests: a throwaway EdDSA key pair the gateway trusts (by PEM, or by a JWKS served on
// loopback as in production) and one it does not, and bearer tokens signed with either.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenVerifier, type Role, type TokenVerifier } from '@homeward/security';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

const issuer = 'homeward-test';
const audience = 'homeward-gateway';

/** A local JWKS endpoint holding one public key: the production verification path, on loopback. */
async function serveJwks(publicKey: CryptoKey): Promise<{ url: string; close(): Promise<void> }> {
  const jwk = { ...(await exportJWK(publicKey)), kid: 'harness-1', alg: 'EdDSA', use: 'sig' };
  const server = createServer(
    (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TestTokens {
  /** What the gateway verifies tokens with. */
  verifier: TokenVerifier;
  /** A bearer token for these roles, signed with the trusted key (or the untrusted one); claims may be overridden. */
  token(roles: Role[], claims?: Record<string, unknown>, key?: 'trusted' | 'untrusted'): Promise<string>;
  close(): Promise<void>;
}

/** Keys and a verifier; `jwks` verifies against a JWKS served over HTTP instead of a PEM key. */
export async function testTokens({ jwks: overHttp = false }: { jwks?: boolean } = {}): Promise<TestTokens> {
  const trusted = await generateKeyPair('EdDSA', { extractable: true });
  const untrusted = await generateKeyPair('EdDSA');
  const jwks = overHttp ? await serveJwks(trusted.publicKey as CryptoKey) : undefined;
  const verifier = createTokenVerifier({
    issuer,
    audience,
    key: jwks ? { jwksUrl: jwks.url } : { publicKeyPem: await exportSPKI(trusted.publicKey) },
  });
  return {
    verifier,
    async token(roles, claims = {}, key = 'trusted') {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub: 'user-1', roles, iss: issuer, aud: audience, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'harness-1' })
        .sign((key === 'trusted' ? trusted.privateKey : untrusted.privateKey) as CryptoKey);
    },
    close: async () => jwks?.close(),
  };
}
