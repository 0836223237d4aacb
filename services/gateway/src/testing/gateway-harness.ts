// Boots the real gateway in-process for unit tests: fakes for the gRPC clients, a throwaway key
// pair for tokens, and the log lines captured so tests can check what was (not) logged.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import * as cookie from 'cookie';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { admin, audit, common, identityDocuments, intake, legal, notifications } from '@homeward/contracts';
import { errorCodeMetadataKey, problemKindMetadataKey, type ProblemKind } from '@homeward/decider';
import { createLogger } from '@homeward/observability';
import { createTokenVerifier, type Role } from '@homeward/security';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { of, throwError, type Observable } from 'rxjs';
import { defaultAccessAlert, type AccessAlertConfig } from '../access/access-volume.js';
import { createGatewayApp } from '../app.js';
import { adminTargets, type AdminClients } from '../grpc/grpc-clients.js';
import type { RateLimitConfig } from '../http/rate-limit.js';

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
  release: {
    releasedAt: '2025-09-11T14:00:00Z',
    mechanism: 'brokered',
    batchId: 'batch-1',
    daysOfSentenceRemaining: 400,
    sentenceRemainingSource: 'stated',
  },
  deportation: { deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: '', consented: false },
  timeline: [{ eventId: 'e1', type: 'PersonRegistered', streamVersion: 1, occurredAt: '2025-01-01T00:00:00Z', summary: 'registered' }],
  registeredAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-09-11T16:30:00Z',
  batchId: 'batch-1',
  detentionConditions: [],
  returnAttempts: [],
  episodes: [],
  forgotten: false,
  ...overrides,
});

export const personSummary = (overrides: Partial<intake.PersonSummary> = {}): intake.PersonSummary => ({
  personId,
  fullName: 'Test Person',
  status: 'in-exile',
  batchId: 'batch-1',
  streamVersion: 3,
  updatedAt: '2025-09-11T16:30:00Z',
  forgotten: false,
  ...overrides,
});

export const releaseBatch = (batchId = 'batch-1', overrides: Partial<intake.ReleaseBatch> = {}): intake.ReleaseBatch => ({
  batchId,
  announcement: {
    date: '2025-09-11',
    announcedCount: 52,
    brokeredBy: 'United States',
    conditions: '',
    announcedAt: '2025-09-11T07:00:00Z',
  },
  counts: { announced: 52, registered: 40, released: 38, deported: 38, foreignNationals: 14, nearEndOfSentence: 20, contactLost: 1 },
  ...overrides,
});

/** What intake answers to an import: each row created, with an id made up from its position. */
export const importedRows = (request: intake.ImportReleaseBatchRequest): intake.ImportReleaseBatchResponse => ({
  batchId: request.batchId,
  rows: request.rows.map((row) => ({
    row: row.row,
    externalRef: row.externalRef,
    outcome: 'created',
    personId: `01936b2e-7a4c-7d1e-9f3a-${String(row.row).padStart(12, '0')}`,
    reason: '',
    errors: [],
  })),
});

export const caseId = '01936b2e-7a4c-5d1e-9f3a-2b8c4d5e6f80';
export const violationId = '01936b2e-7a4c-5d1e-9f3a-2b8c4d5e6f81';

export const legalCase = (id = 'case-1'): legal.LegalCase => ({
  caseId: id,
  personId,
  openedAt: '2025-09-12T00:00:00Z',
  deportation: { deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', consented: false, sourceEventId: 'e3' },
  updatedAt: '2025-09-12T00:00:00Z',
  streamVersion: 2,
  provisions: ['ICCPR 12(4)'],
  violations: [
    {
      violationId,
      instrument: 'ICCPR',
      provision: '12(4)',
      citation: 'ICCPR 12(4)',
      state: 'flagged',
      restsOn: ['e2', 'e3'],
      flaggedBy: 'rule:passport-taken-and-deported',
      flaggedAt: '2025-09-12T00:00:00Z',
      summary: 'Passport taken and deported without consent.',
      decidedBy: '',
      decidedAt: '',
      reasoning: '',
    },
  ],
  evidence: [],
  submissions: [],
});

export const patternIndicator = (overrides: Partial<legal.PatternIndicator> = {}): legal.PatternIndicator => ({
  patternId: '01936b2e-7a4c-5d1e-9f3a-2b8c4d5e6f82',
  batchId: 'batch-1',
  practice: 'deportation-without-consent',
  peopleAffected: 10,
  peopleAffectedNow: 12,
  threshold: 10,
  instrument: 'Rome Statute',
  provision: '7(1)(d)',
  citation: 'Rome Statute 7(1)(d)',
  caseIds: [caseId],
  raisedBy: 'rule:batch-pattern',
  raisedAt: '2025-09-12T00:00:00Z',
  streamVersion: 1,
  ...overrides,
});

export const recipientId = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f71';

export const delivery = (overrides: Partial<notifications.Delivery> = {}): notifications.Delivery => ({
  notificationId: '5d0c3f0e-6a51-5b6e-9d7c-1a2b3c4d5e6f',
  recipientId,
  personId,
  channel: 'email',
  kind: 'contact-lost',
  urgent: true,
  status: 'delivered',
  attempts: 1,
  queuedAt: '2025-09-20T10:00:00.000Z',
  deliveredAt: '2025-09-20T10:00:01.000Z',
  lastAttemptAt: '2025-09-20T10:00:01.000Z',
  causeEventId: '01936b2e-7a4c-7d1e-9f3a-0000000000e1',
  ...overrides,
});

export const welfareCheck = (overrides: Partial<notifications.WelfareCheck> = {}): notifications.WelfareCheck => ({
  checkId: '7e1f2a3b-4c5d-5e6f-8a9b-0c1d2e3f4a5b',
  personId,
  causeEventId: '01936b2e-7a4c-7d1e-9f3a-0000000000e1',
  causeKind: 'contact-lost',
  status: 'overdue',
  scheduledAt: '2025-09-20T10:00:00.000Z',
  dueAt: '2025-09-22T10:00:00.000Z',
  overdueAt: '2025-09-22T10:00:01.000Z',
  ...overrides,
});

export const applicationId = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f72';

export const personDocuments = (overrides: Partial<identityDocuments.PersonDocuments> = {}): identityDocuments.PersonDocuments => ({
  personId,
  streamVersion: 2,
  status: 'at-risk-of-statelessness',
  passport: { state: 'confiscated', confiscation: { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: '' } },
  certificates: [
    {
      eventId: '01936b2e-7a4c-7d1e-9f3a-0000000000d1',
      issuedAt: '2025-09-11T09:00:00Z',
      issuer: 'OGiM',
      format: 'A4',
      validAsIdentityDocument: false,
    },
  ],
  applications: [],
  updatedAt: '2025-09-11T09:00:01Z',
  ...overrides,
});

export const auditEvent = (overrides: Partial<common.EventEnvelope> = {}): audit.AuditEvent => ({
  envelope: {
    eventId: '01936b2e-7a4c-7d1e-9f3a-000000000001',
    streamId: `person-${personId}`,
    streamVersion: 1,
    type: 'PrisonerReleased',
    schemaVersion: 1,
    occurredAt: '2025-09-11T14:00:00Z',
    recordedAt: '2025-09-11T14:00:01Z',
    actor: 'intake-clerk',
    correlationId: '01936b2e-7a4c-7d1e-9f3a-0000000000c1',
    causationId: '',
    prevHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
    subject: personId,
    source: 'intake',
    ...overrides,
  },
  dataJson: JSON.stringify({
    personId,
    releasedAt: '2025-09-11T14:00:00Z',
    mechanism: 'brokered',
    batchId: 'batch-1',
    daysOfSentenceRemaining: 400,
  }),
  topic: 'homeward.intake.events.v1',
  partition: 0,
  offset: '42',
  copiedAt: '2025-09-11T14:00:02.000Z',
});

export const accessEntry = (overrides: Partial<audit.AccessEntry> = {}): audit.AccessEntry => ({
  accessId: '01936b2e-7a4c-7d1e-9f3a-0000000000a1',
  actor: 'user-1',
  roles: ['legal'],
  personId,
  personIds: [personId],
  fields: ['personId', 'status', 'deportation.toCountry'],
  at: '2025-10-01T10:00:00.000Z',
  correlationId: '01936b2e-7a4c-7d1e-9f3a-0000000000c1',
  route: 'GET /v1/people/:personId',
  ...overrides,
});

/** SHA-256 of nothing, base64: the root of the empty tree. */
export const emptyHash = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** A leaf's bytes as audit stores them: the canonical JSON (RFC 8785) of an entry, keys sorted. */
export const leafBytes = `{"eventId":"01936b2e-7a4c-7d1e-9f3a-000000000001","source":"intake","subject":"${personId}","type":"PrisonerReleased"}`;

export const signedCheckpoint = (overrides: Partial<audit.SignedCheckpoint> = {}): audit.SignedCheckpoint => ({
  treeSize: 1,
  rootHash: emptyHash,
  note: `homeward.test/audit\n1\n${emptyHash}\n\n\u2014 homeward.test/audit AAAAAA==\n`,
  issuedAt: '2025-10-01T10:00:00.000Z',
  cosigners: [],
  ...overrides,
});

export const adminJobId = '01936b2e-7a4c-7d1e-9f3a-0000000000b1';

export const adminJob = (service: string, overrides: Partial<admin.Job> = {}): admin.Job => ({
  id: adminJobId,
  service,
  kind: 'rebuild',
  projection: 'person_file',
  state: 'running',
  eventsDone: 10,
  eventsTotal: 40,
  ratePerSecond: 100,
  etaSeconds: 0.3,
  startedAt: '2025-09-11T10:00:00.000Z',
  finishedAt: '',
  errorCode: '',
  ...overrides,
});

/** Default answers of one service's admin surface. */
export const adminFake = (service: string) =>
  fakeClient<admin.AdminServiceClient>({
    listProjections: () =>
      of({
        projections: [
          {
            name: `${service.replaceAll('-', '_')}_view`,
            service,
            kind: 'inline',
            state: 'live',
            position: '42',
            checkpoints: [],
            rows: 3,
            lag: '0',
          },
        ],
      }),
    rebuildProjection: (request) => of({ job: adminJob(service, { projection: request.name }) }),
    getJob: (request) =>
      of({ job: adminJob(service, { id: request.id, state: 'done', eventsDone: 40, finishedAt: '2025-09-11T10:00:01.000Z' }) }),
    listDeadLetters: () =>
      of({
        deadLetters: [
          {
            id: '7',
            groupId: `${service}-group`,
            topic: 'homeward.intake.events',
            partition: 0,
            offset: '12',
            eventType: '',
            error: 'UnknownEventError',
            attempts: 1,
            createdAt: '2025-09-11T10:00:00.000Z',
            retriedAt: '',
          },
        ],
      }),
    retryDeadLetter: (request) => of({ id: request.id, outcome: 'applied' }),
    republishEvents: () =>
      of({ job: adminJob(service, { kind: 'republish', projection: 'stream', state: 'done', eventsDone: 3, eventsTotal: 3 }) }),
    verifyStream: (request) => of({ streamId: request.streamId, eventsChecked: 3, valid: true }),
    metrics: () => of({ text: `# TYPE homeward_outbox_pending gauge\nhomeward_outbox_pending{service="${service}"} 0\n` }),
    // An empty store: a reconciliation has nothing to compare unless a test gives it streams.
    streamHeads: () => of({ items: [], nextCursor: '' }),
    streamEvents: () => of({ items: [], nextCursor: '' }),
  });

const health = (service: string): common.HealthResponse => ({ service, ready: true, checks: { postgres: 'ok' } });

const issuer = 'homeward-test';
/** Unit tests send many requests with one token; a test of the limiter passes its own limits. */
const unlimited: RateLimitConfig = { perMinute: 1_000_000, burst: 1_000_000 };
const audience = 'homeward-gateway';

export interface Harness {
  app: NestFastifyApplication;
  intake: ReturnType<typeof fakeClient<intake.IntakeServiceClient>>;
  legal: ReturnType<typeof fakeClient<legal.LegalServiceClient>>;
  identityDocuments: ReturnType<typeof fakeClient<identityDocuments.IdentityDocumentsServiceClient>>;
  notifications: ReturnType<typeof fakeClient<notifications.NotificationsServiceClient>>;
  audit: ReturnType<typeof fakeClient<audit.AuditServiceClient>>;
  admin: Record<(typeof adminTargets)[number], ReturnType<typeof adminFake>>;
  /** A bearer token for these roles, signed with the harness's key; claims may be overridden. */
  token(roles: Role[], claims?: Record<string, unknown>, key?: 'trusted' | 'untrusted'): Promise<string>;
  /** Log lines written since the last reset. */
  logs: string[];
  reset(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Verify tokens against a JWKS served over HTTP, as in production, instead of a PEM key. */
  jwks?: boolean;
  rateLimit?: RateLimitConfig;
  accessAlert?: AccessAlertConfig;
}

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

export async function startGateway(options: HarnessOptions = {}): Promise<Harness> {
  const trusted = await generateKeyPair('EdDSA', { extractable: true });
  const untrusted = await generateKeyPair('EdDSA');
  const jwks = options.jwks ? await serveJwks(trusted.publicKey as CryptoKey) : undefined;
  const verifier = createTokenVerifier({
    issuer,
    audience,
    key: jwks ? { jwksUrl: jwks.url } : { publicKeyPem: await exportSPKI(trusted.publicKey) },
  });

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
    recordImprisonment: (request) => of(commandResult(request.personId, 2)),
    reportDetentionCondition: (request) => of(commandResult(request.personId, 3)),
    recordReturnAttempt: (request) => of(commandResult(request.personId, 4)),
    recordContactLost: (request) => of(commandResult(request.personId, 5)),
    recordContactReestablished: (request) => of(commandResult(request.personId, 6)),
    reportRearrest: (request) => of(commandResult(request.personId, 7)),
    forgetPerson: (request) => of(commandResult(request.personId, 8)),
    announceReleaseBatch: (request) => of(commandResult(request.batchId, 1)),
    importReleaseBatch: (request) => of(importedRows(request)),
    getPerson: () => of(personFile()),
    listPeople: () => of({ items: [personSummary()], nextCursor: '' }),
    getReleaseBatch: (request) => of(releaseBatch(request.batchId)),
    health: () => of(health('intake')),
  });
  const legalFake = fakeClient<legal.LegalServiceClient>({
    listCases: () => of({ items: [legalCase()], nextCursor: '' }),
    getCase: (request) => of(legalCase(request.caseId)),
    flagViolation: (request) => of(commandResult(request.caseId, 3)),
    confirmViolation: (request) => of(commandResult(request.caseId, 3)),
    dismissViolation: (request) => of(commandResult(request.caseId, 3)),
    attachEvidence: (request) => of(commandResult(request.caseId, 3)),
    fileSubmission: (request) => of(commandResult(request.caseId, 3)),
    changeSubmissionStatus: (request) => of(commandResult(request.caseId, 4)),
    listPatterns: () => of({ items: [patternIndicator()], nextCursor: '' }),
    health: () => of(health('legal')),
  });

  const identityDocumentsFake = fakeClient<identityDocuments.IdentityDocumentsServiceClient>({
    recordPassportConfiscation: (request) => of(commandResult(request.personId, 1)),
    recordPassportDestruction: (request) => of(commandResult(request.personId, 2)),
    issueTemporaryCertificate: (request) => of(commandResult(request.personId, 2)),
    applyForTravelDocument: (request) => of({ ...commandResult(request.personId, 3), applicationId }),
    decideTravelDocumentApplication: (request) => of(commandResult(request.personId, 4)),
    getDocuments: () => of(personDocuments()),
    listUndocumented: () => of({ items: [{ personId, status: 'at-risk-of-statelessness' }], nextCursor: '' }),
    health: () => of(health('identity-documents')),
  });
  const notificationsFake = fakeClient<notifications.NotificationsServiceClient>({
    registerRecipient: () => of(commandResult(recipientId)),
    withdrawConsent: (request) => of(commandResult(request.recipientId, 2)),
    changeFollows: (request) => of(commandResult(request.recipientId, 2)),
    eraseRecipient: (request) => of(commandResult(request.recipientId, 3)),
    listDeliveries: () => of({ items: [delivery()], nextCursor: '' }),
    listWelfareChecks: () => of({ items: [welfareCheck()], nextCursor: '' }),
    health: () => of(health('notifications')),
  });
  const auditFake = fakeClient<audit.AuditServiceClient>({
    searchEvents: () => of({ items: [auditEvent()], nextCursor: '', total: 1 }),
    exportEvents: () => of(auditEvent(), auditEvent({ eventId: '01936b2e-7a4c-7d1e-9f3a-000000000002', streamVersion: 2 })),
    subjectsOf: () => of({ subjects: [personId], through: '42' }),
    verifyStream: (request) => of({ streamId: request.streamId, eventsChecked: 3, valid: true }),
    verifySource: (request) => of({ source: request.source, streamsChecked: 1, eventsChecked: 3, broken: [] }),
    recordAccess: () => of({ accessId: '01936b2e-7a4c-7d1e-9f3a-0000000000a1' }),
    listAccessLog: () => of({ items: [accessEntry()], nextCursor: '' }),
    getLogKey: () => of({ origin: 'homeward.test/audit', verifierKey: 'homeward.test/audit+00000000+AQ==', witnessKeys: [] }),
    latestCheckpoint: () => of(signedCheckpoint()),
    getCheckpoint: () => of(signedCheckpoint()),
    listCheckpoints: () => of({ items: [signedCheckpoint()], nextCursor: '' }),
    issueCheckpoint: () => of(signedCheckpoint()),
    addCosignature: () => of(signedCheckpoint()),
    inclusionProof: (request) => of({ leafIndex: 0, treeSize: request.treeSize || 1, leafHash: emptyHash, path: [] }),
    consistencyProof: (request) => of({ from: request.from, to: request.to || 1, path: [] }),
    listLeaves: (request) => of({ treeSize: request.treeSize || 1, items: [{ index: 0, bytes: leafBytes, path: [] }], nextCursor: '' }),
    signBundleManifest: () => of({ treeSize: 1, selection: 'all', leaves: 0, digest: emptyHash, note: '' }),
    copiedStreamHeads: () => of({ items: [], nextCursor: '' }),
    copiedStreamEvents: () => of({ items: [], nextCursor: '' }),
    health: () => of(health('audit')),
  });

  const adminFakes = Object.fromEntries(adminTargets.map((service) => [service, adminFake(service)])) as Harness['admin'];

  const app = await createGatewayApp({
    admin: Object.fromEntries(adminTargets.map((service) => [service, adminFakes[service].client])) as AdminClients,
    intake: intakeFake.client,
    legal: legalFake.client,
    identityDocuments: identityDocumentsFake.client,
    notifications: notificationsFake.client,
    audit: auditFake.client,
    verifier,
    logger,
    rateLimit: options.rateLimit ?? unlimited,
    accessAlert: options.accessAlert ?? defaultAccessAlert,
  });

  return {
    app,
    intake: intakeFake,
    legal: legalFake,
    identityDocuments: identityDocumentsFake,
    notifications: notificationsFake,
    audit: auditFake,
    admin: adminFakes,
    logs,
    async token(roles, claims = {}, key = 'trusted') {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub: 'user-1', roles, iss: issuer, aud: audience, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'harness-1' })
        .sign((key === 'trusted' ? trusted.privateKey : untrusted.privateKey) as CryptoKey);
    },
    reset() {
      intakeFake.reset();
      legalFake.reset();
      identityDocumentsFake.reset();
      notificationsFake.reset();
      auditFake.reset();
      for (const fake of Object.values(adminFakes)) fake.reset();
      logs.length = 0;
    },
    async close() {
      await app.close();
      await jwks?.close();
    },
  };
}
