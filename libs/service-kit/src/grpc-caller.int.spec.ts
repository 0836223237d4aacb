// A service started by startGrpcService knows its caller. Without TLS (development) the caller
// secret stands for the gateway: a call without it or with another one is refused with
// UNAUTHENTICATED before any handler (Health included) runs. Under mutual TLS the client
// certificate's CN names the caller and the caller table decides per method (PERMISSION_DENIED
// otherwise); a client without a certificate from the configured CA gets no answer at all. Calls
// made for a user carry the user's token, verified by the service, and a command's actor is the
// token's subject whatever the caller wrote in the metadata.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { adminGrpcService, grpcLoaderOptions, protoRoot, type common, type intake } from '@homeward/contracts';
import {
  bearerMetadataKey,
  grpcCallerMetadataKey,
  grpcClientSecurity,
  tokenVerifierConfigFromEnv,
  type GrpcCallerAuth,
  type GrpcTlsFiles,
} from '@homeward/security';
import { createTestDatabase, devUserToken, freePort, rawGrpcClient, type TestDatabase, type TestUserToken } from '@homeward/testing';
import { commandContext } from './command-context.js';
import { startGrpcService } from './grpc-service.js';
import { startRuntime, type ServiceRuntime } from './runtime.js';

/** A command handler that answers with the actor its context was given (as `id`) and the metadata keys it saw (as `eventIds`). */
@Controller()
class ActorEcho {
  @GrpcMethod('IntakeService', 'RegisterPerson')
  registerPerson(request: intake.RegisterPersonRequest, seen: Metadata): common.CommandResult {
    return { id: commandContext(request.metadata).actor, streamVersion: 1, eventIds: Object.keys(seen.getMap()), repeatedRequest: false };
  }
}

@Module({ controllers: [ActorEcho] })
class EchoModule {}

const secret = randomBytes(32).toString('base64url');
let database: TestDatabase;
let runtime: ServiceRuntime;
let app: INestMicroservice;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase('hw_grpc_caller');
  runtime = await startRuntime({ service: 'intake', databaseUrl: database.url, migrations: [] });
  url = `127.0.0.1:${await freePort()}`;
  app = await startGrpcService({ service: 'intake', runtime, module: { module: EchoModule }, url, callerAuth: { secret } });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await runtime?.stop();
  await database?.drop();
});

type Answer = { code: number; response?: Record<string, unknown> };

function answer(client: Client, method: string, request: unknown): Promise<Answer> {
  return new Promise((resolve) => {
    (
      client as unknown as Record<
        string,
        (request: unknown, callback: (error: ServiceError | null, response: Record<string, unknown>) => void) => void
      >
    )[method]!(request, (error, response) => {
      client.close();
      resolve(error ? { code: error.code } : { code: status.OK, response });
    });
  });
}

const health = (callerAuth: GrpcCallerAuth | null, target = url) => answer(rawGrpcClient('intake', target, callerAuth, null), 'Health', {});

const metadata = (actor: string): common.CommandMetadata => ({
  actor,
  correlationId: 'corr-caller',
  causationId: '',
  idempotencyKey: '',
  traceparent: '',
});
const registerPerson = (callerAuth: GrpcCallerAuth | null, token: TestUserToken, actor = 'someone-else', target = url) =>
  answer(rawGrpcClient('intake', target, callerAuth, token), 'RegisterPerson', {
    metadata: metadata(actor),
    personId: '',
    fullName: 'Caller Invented',
    citizenships: ['BY'],
  });

/** The admin surface's ListProjections, with the caller secret when given. */
function listProjections(callerAuth: GrpcCallerAuth | null, target = url): Promise<Answer> {
  const loaded = loadPackageDefinition(loadSync(path.join(protoRoot, adminGrpcService.file), grpcLoaderOptions)) as unknown as {
    homeward: { admin: { v1: Record<string, unknown> } };
  };
  const Constructor = loaded.homeward.admin.v1[adminGrpcService.service] as new (
    url: string,
    credentials: unknown,
    options: unknown,
  ) => Client;
  const security = grpcClientSecurity(callerAuth ?? {});
  return answer(
    new Constructor(target, callerAuth ? security.credentials : credentials.createInsecure(), { interceptors: security.interceptors }),
    'ListProjections',
    {},
  );
}

/** A token with the claims the services accept, signed by a key they do not trust. */
function forgedToken(sub: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { issuer, audience } = tokenVerifierConfigFromEnv();
  const iat = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part({ sub, roles: ['admin'], iss: issuer, aud: audience, iat, exp: iat + 600 })}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

describe('the caller secret (development)', () => {
  it('answers a caller that sends the secret', async () => {
    await expect(health({ secret })).resolves.toMatchObject({ code: status.OK, response: { service: 'intake', ready: true } });
  });

  it('refuses a call without the secret with UNAUTHENTICATED', async () => {
    await expect(health(null)).resolves.toEqual({ code: status.UNAUTHENTICATED });
    await expect(registerPerson(null, devUserToken('clerk-7'))).resolves.toEqual({ code: status.UNAUTHENTICATED });
  });

  it('refuses a wrong secret, even one that shares a prefix', async () => {
    await expect(health({ secret: randomBytes(32).toString('base64url') })).resolves.toEqual({ code: status.UNAUTHENTICATED });
    await expect(health({ secret: `${secret}x` })).resolves.toEqual({ code: status.UNAUTHENTICATED });
  });

  it('stands for the gateway: the admin surface answers it too', async () => {
    await expect(listProjections({ secret })).resolves.toMatchObject({ code: status.OK });
  });
});

describe("the user's token", () => {
  it("makes the token's subject the command's actor, whatever the metadata names", async () => {
    await expect(registerPerson({ secret }, devUserToken('clerk-7'), 'someone-else')).resolves.toMatchObject({
      code: status.OK,
      response: { id: 'clerk-7' },
    });
    await expect(registerPerson({ secret }, devUserToken('clerk-7'), '')).resolves.toMatchObject({
      code: status.OK,
      response: { id: 'clerk-7' },
    });
  });

  it('refuses a command without a token, with a forged one or with a malformed one (UNAUTHENTICATED)', async () => {
    await expect(registerPerson({ secret }, null)).resolves.toEqual({ code: status.UNAUTHENTICATED });
    await expect(registerPerson({ secret }, forgedToken('clerk-7'))).resolves.toEqual({ code: status.UNAUTHENTICATED });
    await expect(registerPerson({ secret }, 'not.a.token')).resolves.toEqual({ code: status.UNAUTHENTICATED });
  });

  it('is not needed for Health, which a probe calls for nobody', async () => {
    await expect(health({ secret })).resolves.toMatchObject({ code: status.OK });
  });

  it('never reaches a handler: the secret and the token are taken off the metadata it sees', async () => {
    const { response } = await registerPerson({ secret }, devUserToken('clerk-7'));
    expect(response?.['eventIds']).not.toContain(grpcCallerMetadataKey);
    expect(response?.['eventIds']).not.toContain(bearerMetadataKey);
  });
});

/** A CA and a certificate it signs for each name (CN=name, and for `localhost` and 127.0.0.1), made with openssl. */
function certificates(dir: string, caName: string, names: string[]): { ca: Buffer; signed: Record<string, GrpcTlsFiles> } {
  const file = (name: string, suffix: string) => path.join(dir, `${caName}-${name}-${suffix}`);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${caName}-ca`,
    '-keyout',
    file('ca', 'key'),
    '-out',
    file('ca', 'pem'),
  );
  const ca = readFileSync(file('ca', 'pem'));
  const signed: Record<string, GrpcTlsFiles> = {};
  for (const name of names) {
    run(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(name, 'key.pem'),
      '-out',
      file(name, 'csr.pem'),
    );
    writeFileSync(file(name, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
    run(
      'x509',
      '-req',
      '-in',
      file(name, 'csr.pem'),
      '-CA',
      file('ca', 'pem'),
      '-CAkey',
      file('ca', 'key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file(name, 'ext.cnf'),
      '-out',
      file(name, 'cert.pem'),
    );
    signed[name] = { ca, cert: readFileSync(file(name, 'cert.pem')), key: readFileSync(file(name, 'key.pem')) };
  }
  return { ca, signed };
}

describe('mutual TLS: the certificate names the caller, the table decides per method', () => {
  let tlsApp: INestMicroservice;
  let tlsUrl: string;
  let ours: ReturnType<typeof certificates>;
  let foreign: ReturnType<typeof certificates>;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'grpc-mtls-'));
    ours = certificates(dir, 'homeward', ['localhost', 'gateway', 'operator', 'stranger']);
    foreign = certificates(dir, 'foreign', ['gateway']);
    tlsUrl = `localhost:${await freePort()}`;
    tlsApp = await startGrpcService({
      service: 'intake',
      runtime,
      module: { module: EchoModule },
      url: tlsUrl,
      callerAuth: { tls: ours.signed['localhost']! },
    });
  }, 60_000);

  afterAll(async () => {
    await tlsApp?.close();
  });

  const as = (name: string) => ({ tls: ours.signed[name]! });

  it("lets the gateway call Health, the admin surface and a command with a user's token", async () => {
    await expect(health(as('gateway'), tlsUrl)).resolves.toMatchObject({ code: status.OK, response: { service: 'intake' } });
    await expect(listProjections(as('gateway'), tlsUrl)).resolves.toMatchObject({ code: status.OK });
    await expect(registerPerson(as('gateway'), devUserToken('clerk-7'), 'someone-else', tlsUrl)).resolves.toMatchObject({
      code: status.OK,
      response: { id: 'clerk-7' },
    });
  });

  it("refuses the gateway a command without a user's token: its certificate alone acts for nobody", async () => {
    await expect(registerPerson(as('gateway'), null, 'someone-else', tlsUrl)).resolves.toEqual({ code: status.UNAUTHENTICATED });
    await expect(registerPerson(as('gateway'), forgedToken('clerk-7'), 'clerk-7', tlsUrl)).resolves.toEqual({
      code: status.UNAUTHENTICATED,
    });
  });

  it("lets an operator's tooling call the admin surface, but not a command (even with a valid token) nor Health", async () => {
    await expect(listProjections(as('operator'), tlsUrl)).resolves.toMatchObject({ code: status.OK });
    await expect(registerPerson(as('operator'), devUserToken('clerk-7'), 'clerk-7', tlsUrl)).resolves.toEqual({
      code: status.PERMISSION_DENIED,
    });
    await expect(health(as('operator'), tlsUrl)).resolves.toEqual({ code: status.PERMISSION_DENIED });
  });

  it('refuses everywhere a certificate our CA signed for a name not in the table', async () => {
    await expect(health(as('stranger'), tlsUrl)).resolves.toEqual({ code: status.PERMISSION_DENIED });
    await expect(listProjections(as('stranger'), tlsUrl)).resolves.toEqual({ code: status.PERMISSION_DENIED });
    await expect(registerPerson(as('stranger'), devUserToken('clerk-7'), 'clerk-7', tlsUrl)).resolves.toEqual({
      code: status.PERMISSION_DENIED,
    });
    // A service's own server certificate is no caller either.
    await expect(health(as('localhost'), tlsUrl)).resolves.toEqual({ code: status.PERMISSION_DENIED });
  });

  it('refuses a client whose certificate another CA signed (even named gateway), and a client without TLS', async () => {
    // The client trusts the server (our CA) but presents a certificate the server does not.
    expect((await health({ tls: { ...foreign.signed['gateway']!, ca: ours.ca } }, tlsUrl)).code).not.toBe(status.OK);
    expect((await health(null, tlsUrl)).code).not.toBe(status.OK);
  });
});
