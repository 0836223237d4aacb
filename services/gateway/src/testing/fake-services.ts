// The services the gateway calls, faked: each method answers a fixture, and a test may replace
// an answer or read the calls the gateway made.
import type { admin, common, identityDocuments, intake, legal, notifications, audit } from '@homeward/contracts';
import { of } from 'rxjs';
import { adminTargets } from '../grpc/grpc-clients.js';
import { fakeClient } from './fake-client.js';
import {
  accessEntry,
  adminJob,
  applicationId,
  auditEvent,
  commandResult,
  delivery,
  emptyHash,
  importedRows,
  leafBytes,
  legalCase,
  patternIndicator,
  personDocuments,
  personFile,
  personId,
  personSummary,
  recipientId,
  releaseBatch,
  signedCheckpoint,
  welfareCheck,
} from './fixtures.js';

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

/** Every service the gateway calls, with its default answers. */
export function fakeServices() {
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

  const adminFakes = Object.fromEntries(adminTargets.map((service) => [service, adminFake(service)])) as Record<
    (typeof adminTargets)[number],
    ReturnType<typeof adminFake>
  >;
  return {
    intake: intakeFake,
    legal: legalFake,
    identityDocuments: identityDocumentsFake,
    notifications: notificationsFake,
    audit: auditFake,
    admin: adminFakes,
  };
}

export type FakeServices = ReturnType<typeof fakeServices>;

/** Every fake back to its default answers, with no calls recorded. */
export function resetFakes(fakes: FakeServices): void {
  for (const fake of [fakes.intake, fakes.legal, fakes.identityDocuments, fakes.notifications, fakes.audit]) fake.reset();
  for (const fake of Object.values(fakes.admin)) fake.reset();
}
