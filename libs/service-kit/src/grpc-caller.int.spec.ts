// A service started by startGrpcService answers the gateway only: a call without the caller secret
// or with another one is refused with UNAUTHENTICATED before any handler (Health included) runs;
// under mutual TLS, a client without a certificate from the configured CA gets no answer at all.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestMicroservice } from '@nestjs/common';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { GrpcCallerAuth } from '@homeward/security';
import { createTestDatabase, freePort, rawGrpcClient, type TestDatabase } from '@homeward/testing';
import { startGrpcService } from './grpc-service.js';
import { startRuntime, type ServiceRuntime } from './runtime.js';

@Module({})
class NoHandlers {}

const secret = randomBytes(32).toString('base64url');
let database: TestDatabase;
let runtime: ServiceRuntime;
let app: INestMicroservice;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase('hw_grpc_caller');
  runtime = await startRuntime({ service: 'audit', databaseUrl: database.url, migrations: [] });
  url = `127.0.0.1:${await freePort()}`;
  app = await startGrpcService({ service: 'audit', runtime, module: { module: NoHandlers }, url, callerAuth: { secret } });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await runtime?.stop();
  await database?.drop();
});

function health(callerAuth: GrpcCallerAuth | null, target = url): Promise<{ code: number; response?: unknown }> {
  const client = rawGrpcClient('audit', target, callerAuth);
  return new Promise((resolve) => {
    client['Health']!({}, (error: ServiceError | null, response: unknown) => {
      client.close();
      resolve(error ? { code: error.code } : { code: status.OK, response });
    });
  });
}

describe('gRPC caller authentication', () => {
  it('answers a caller that sends the secret', async () => {
    await expect(health({ secret })).resolves.toMatchObject({ code: status.OK, response: { service: 'audit', ready: true } });
  });

  it('refuses a call without the secret with UNAUTHENTICATED', async () => {
    await expect(health(null)).resolves.toEqual({ code: status.UNAUTHENTICATED });
  });

  it('refuses a wrong secret, even one that shares a prefix', async () => {
    await expect(health({ secret: randomBytes(32).toString('base64url') })).resolves.toEqual({ code: status.UNAUTHENTICATED });
    await expect(health({ secret: `${secret}x` })).resolves.toEqual({ code: status.UNAUTHENTICATED });
  });
});

/** A CA and a certificate it signs (for `localhost` and 127.0.0.1), made with openssl. */
function certificates(dir: string, name: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  const file = (suffix: string) => path.join(dir, `${name}-${suffix}`);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${name}-ca`, '-keyout', file('ca.key'), '-out', file('ca.pem'));
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-keyout', file('key.pem'), '-out', file('csr.pem'));
  const extensions = file('ext.cnf');
  writeFileSync(extensions, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  run('x509', '-req', '-in', file('csr.pem'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', extensions, '-out', file('cert.pem'));
  return { ca: readFileSync(file('ca.pem')), cert: readFileSync(file('cert.pem')), key: readFileSync(file('key.pem')) };
}

describe('gRPC mutual TLS', () => {
  let tlsApp: INestMicroservice;
  let tlsUrl: string;
  let trusted: { ca: Buffer; cert: Buffer; key: Buffer };
  let stranger: { ca: Buffer; cert: Buffer; key: Buffer };

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'grpc-mtls-'));
    trusted = certificates(dir, 'homeward');
    stranger = certificates(dir, 'stranger');
    tlsUrl = `localhost:${await freePort()}`;
    tlsApp = await startGrpcService({ service: 'audit', runtime, module: { module: NoHandlers }, url: tlsUrl, callerAuth: { tls: trusted } });
  }, 60_000);

  afterAll(async () => {
    await tlsApp?.close();
  });

  it('answers a client whose certificate the CA signed', async () => {
    await expect(health({ tls: trusted }, tlsUrl)).resolves.toMatchObject({ code: status.OK, response: { service: 'audit' } });
  });

  it('refuses a client whose certificate another CA signed, and a client without TLS', async () => {
    // The client trusts the server (same CA) but presents a certificate the server does not.
    expect((await health({ tls: { ...stranger, ca: trusted.ca } }, tlsUrl)).code).not.toBe(status.OK);
    expect((await health(null, tlsUrl)).code).not.toBe(status.OK);
  });
});
