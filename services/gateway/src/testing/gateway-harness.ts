// Boots the real gateway in-process for unit tests: fakes for the gRPC clients, a throwaway key
// pair for tokens, and the log lines captured so tests can check what was (not) logged.
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import * as cookie from 'cookie';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { common, identityDocuments, intake, legal, notifications } from '@homeward/contracts';
import { errorCodeMetadataKey, problemKindMetadataKey, type ProblemKind } from '@homeward/decider';
import { createLogger } from '@homeward/observability';
import { createTokenVerifier, type Role } from '@homeward/security';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { of, throwError, type Observable } from 'rxjs';
import { createGatewayApp } from '../app.js';

// Two CommonJS packages require() an ESM-only one, which Node does but Jest's loader (before Node
// 24.9) cannot: light-my-request (behind app.inject) needs `cookie`, handed over here as loaded
// through import; @fastify/static (Swagger UI's assets, not under test) is replaced by a no-op.
jest.mock('cookie', () => cookie);
jest.unstable_mockModule('@fastify/static', () => ({ default: async () => undefined }));

type Unary = (request: never, metadata?: Metadata) => Observable<unknown>;

export interface RecordedCall {
  method: string;
  request: unknown;
  /** Everything after the request: grpc metadata, then call options (the deadline). */
  rest: unknown[];
}

/**
 * A client built from default answers; `answers` replaces one for a test, `calls` records what
 * the gateway sent. It implements the generated interface, nothing more.
 */
export function fakeClient<Client extends { [Method in keyof Client]: Unary }>(defaults: Client) {
  const calls: RecordedCall[] = [];
  const answers: Partial<Client> = {};
  const client = Object.fromEntries(
    Object.keys(defaults).map((method) => [
      method,
      (request: never, ...rest: unknown[]) => {
        calls.push({ method, request, rest });
        const answer = (answers[method as keyof Client] ?? defaults[method as keyof Client]) as Unary;
        return answer(request, rest[0] as Metadata | undefined);
      },
    ]),
  ) as unknown as Client;
  return {
    client,
    calls,
    answers,
    reset() {
      calls.length = 0;
      for (const key of Object.keys(answers)) delete answers[key as keyof Client];
    },
  };
}

/** A gRPC failure as grpc-js reports it, with the problem trailers a service sets. */
export function grpcFailure(code: GrpcStatus, details: string, trailers: { kind?: ProblemKind; code?: string } = {}) {
  const metadata = new Metadata();
  if (trailers.kind) metadata.set(problemKindMetadataKey, trailers.kind);
  if (trailers.code) metadata.set(errorCodeMetadataKey, trailers.code);
  const error = Object.assign(new Error(`${code} ${GrpcStatus[code]}: ${details}`), { code, details, metadata });
  return throwError(() => error);
}

export const personId = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70';

export const commandResult = (id = personId, streamVersion = 1): common.CommandResult => ({
  id,
  streamVersion,
  eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'],
  repeatedRequest: false,
});

export const personFile = (overrides: Partial<intake.PersonFile> = {}): intake.PersonFile => ({
  personId,
  streamVersion: 3,
  status: 'in-exile',
  fullName: 'Test Person',
  aliases: [],
  birthDate: '',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'journalist',
  release: { releasedAt: '2025-09-11T14:00:00Z', mechanism: 'brokered', batchId: 'batch-1', daysOfSentenceRemaining: 400 },
  deportation: { deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: '', consented: false },
  timeline: [{ eventId: 'e1', type: 'PersonRegistered', streamVersion: 1, occurredAt: '2025-01-01T00:00:00Z', summary: 'registered' }],
  registeredAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-09-11T16:30:00Z',
  ...overrides,
});

export const legalCase = (caseId = 'case-1'): legal.LegalCase => ({
  caseId,
  personId,
  openedAt: '2025-09-12T00:00:00Z',
  deportation: { deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', consented: false, sourceEventId: 'e3' },
  updatedAt: '2025-09-12T00:00:00Z',
});

const health = (service: string): common.HealthResponse => ({ service, ready: true, checks: { postgres: 'ok' } });

const issuer = 'homeward-test';
const audience = 'homeward-gateway';

export interface Harness {
  app: NestFastifyApplication;
  intake: ReturnType<typeof fakeClient<intake.IntakeServiceClient>>;
  legal: ReturnType<typeof fakeClient<legal.LegalServiceClient>>;
  identityDocuments: ReturnType<typeof fakeClient<identityDocuments.IdentityDocumentsServiceClient>>;
  notifications: ReturnType<typeof fakeClient<notifications.NotificationsServiceClient>>;
  /** A bearer token for these roles, signed with the harness's key; claims may be overridden. */
  token(roles: Role[], claims?: Record<string, unknown>, key?: 'trusted' | 'untrusted'): Promise<string>;
  /** Log lines written since the last reset. */
  logs: string[];
  reset(): void;
  close(): Promise<void>;
}

export async function startGateway(): Promise<Harness> {
  const trusted = await generateKeyPair('EdDSA', { extractable: true });
  const untrusted = await generateKeyPair('EdDSA');
  const verifier = createTokenVerifier({ issuer, audience, key: { publicKeyPem: await exportSPKI(trusted.publicKey) } });

  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('gateway', { level: 'debug', destination });

  const intakeFake = fakeClient<intake.IntakeServiceClient>({
    registerPerson: () => of(commandResult()),
    recordRelease: (request) => of(commandResult(request.personId, 2)),
    recordDeportation: (request) => of(commandResult(request.personId, 3)),
    getPerson: () => of(personFile()),
    health: () => of(health('intake')),
  });
  const legalFake = fakeClient<legal.LegalServiceClient>({
    listCases: () => of({ items: [legalCase()], nextCursor: '' }),
    health: () => of(health('legal')),
  });

  const identityDocumentsFake = fakeClient<identityDocuments.IdentityDocumentsServiceClient>({
    health: () => of(health('identity-documents')),
  });
  const notificationsFake = fakeClient<notifications.NotificationsServiceClient>({
    health: () => of(health('notifications')),
  });

  const app = await createGatewayApp({
    intake: intakeFake.client,
    legal: legalFake.client,
    identityDocuments: identityDocumentsFake.client,
    notifications: notificationsFake.client,
    verifier,
    logger,
  });

  return {
    app,
    intake: intakeFake,
    legal: legalFake,
    identityDocuments: identityDocumentsFake,
    notifications: notificationsFake,
    logs,
    async token(roles, claims = {}, key = 'trusted') {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub: 'user-1', roles, iss: issuer, aud: audience, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'EdDSA' })
        .sign((key === 'trusted' ? trusted.privateKey : untrusted.privateKey) as CryptoKey);
    },
    reset() {
      intakeFake.reset();
      legalFake.reset();
      identityDocumentsFake.reset();
      notificationsFake.reset();
      logs.length = 0;
    },
    close: () => app.close(),
  };
}
