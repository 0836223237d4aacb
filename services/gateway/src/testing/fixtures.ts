// What the fake services answer by default, and the ids tests name: invented people and records.
import type { admin, audit, common, identityDocuments, intake, legal, notifications } from '@homeward/contracts';

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
export const leafBytes =
  '{"eventId":"01936b2e-7a4c-7d1e-9f3a-000000000001","source":"intake",' + `"subject":"${personId}","type":"PrisonerReleased"}`;

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
