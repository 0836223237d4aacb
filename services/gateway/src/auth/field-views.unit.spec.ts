// The role-by-field table, proved against what is served: every read route called with every
// role route-roles.ts admits, every field of every answer checked against the table (present iff
// granted), every logged read's access entry checked, and the OpenAPI text checked to say it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Role } from '@homeward/security';
import { of } from 'rxjs';
import { describeFields, fieldsShown, leafPaths, visible, type FieldTable } from './field-table.js';
import { readAnswers } from './field-views.js';
import { routeRoles } from './route-roles.js';
import {
  adminJobId,
  auditEvent,
  caseId,
  delivery,
  legalCase,
  personDocuments,
  personFile,
  personId,
  personSummary,
  startGateway,
  grpcFailure,
  welfareCheck,
  type Harness,
} from '../testing/gateway-harness.js';

const secondPersonId = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f79';

/** Where each read route is called; a read route missing here fails the first test. */
const urls: Record<string, string> = {
  'GET /v1/people/:personId': `/v1/people/${personId}`,
  'GET /v1/people': '/v1/people',
  'GET /v1/release-batches/:batchId': '/v1/release-batches/batch-1',
  'GET /v1/people/:personId/documents': `/v1/people/${personId}/documents`,
  'GET /v1/documents/undocumented': '/v1/documents/undocumented',
  'GET /v1/legal/cases': '/v1/legal/cases',
  'GET /v1/legal/cases/:caseId': `/v1/legal/cases/${caseId}`,
  'GET /v1/legal/patterns': '/v1/legal/patterns',
  'GET /v1/notifications/deliveries': `/v1/notifications/deliveries?personId=${personId}`,
  'GET /v1/notifications/welfare-checks': '/v1/notifications/welfare-checks',
  'GET /health/details': '/health/details',
  'GET /metrics': '/metrics',
  'GET /v1/admin/projections': '/v1/admin/projections',
  'GET /v1/admin/jobs/:jobId': `/v1/admin/jobs/intake:${adminJobId}`,
  'GET /v1/admin/dead-letters': '/v1/admin/dead-letters',
  'GET /v1/admin/streams/:service/:streamId/verify': `/v1/admin/streams/intake/person-${personId}/verify`,
  'GET /v1/admin/reconciliations/:reconciliationId': '/v1/admin/reconciliations/latest',
  'GET /v1/audit/events': '/v1/audit/events',
  'GET /v1/audit/events/export': '/v1/audit/events/export',
  'GET /v1/audit/verify': `/v1/audit/verify?streamId=person-${personId}`,
  'GET /v1/audit/access-log': '/v1/audit/access-log',
  'GET /v1/audit/key': '/v1/audit/key',
  'GET /v1/audit/checkpoint': '/v1/audit/checkpoint',
  'GET /v1/audit/checkpoints': '/v1/audit/checkpoints',
  'GET /v1/audit/checkpoints/:treeSize': '/v1/audit/checkpoints/1',
  'GET /v1/audit/proofs/inclusion': '/v1/audit/proofs/inclusion?eventId=01936b2e-7a4c-7d1e-9f3a-000000000001',
  'GET /v1/audit/proofs/consistency': '/v1/audit/proofs/consistency?from=1',
  'GET /v1/audit/leaves': `/v1/audit/leaves?personId=${personId}`,
  'GET /v1/audit/leaves/manifest': `/v1/audit/leaves/manifest?personId=${personId}`,
};

const readRoutes = Object.entries(routeRoles).filter(([route, access]) => route.startsWith('GET ') && access !== 'public');

/** Every value filled, every list with an item: an answer where a field the table grants can only be missing if the gateway dropped it. */
const custody = {
  imprisonment: {
    charges: ['art-342'],
    sentenceMonths: 36,
    sentenceStart: '2022-12-01',
    expectedRelease: '2025-12-01',
    facility: 'Invented colony',
  },
  detentionConditions: [
    {
      kind: 'solitary-confinement',
      periodFrom: '2024-01-01',
      periodTo: '2024-02-01',
      account: 'Invented account',
      reportedAt: '2025-09-12T00:00:00Z',
      eventId: 'e4',
    },
  ],
  release: {
    releasedAt: '2025-09-11T14:00:00Z',
    mechanism: 'brokered',
    batchId: 'batch-1',
    daysOfSentenceRemaining: 80,
    sentenceRemainingSource: 'stated',
  },
  deportation: {
    deportedAt: '2025-09-11T16:30:00Z',
    fromCountry: 'BY',
    toCountry: 'LT',
    borderCrossing: 'Invented crossing',
    consented: false,
  },
  returnAttempts: [{ attemptedAt: '2025-09-20T09:00:00Z', borderCrossing: 'Invented crossing', outcome: 'refused' }],
  rearrest: { reportedAt: '2025-09-25T12:00:00Z', place: 'Invented place' },
};
const fullFile = personFile({
  aliases: ['Invented alias'],
  birthDate: '1980-01-01',
  ...custody,
  contact: { lost: true, lastContactAt: '2025-09-13T08:00:00Z', reportedBy: 'family', changedAt: '2025-09-13T09:00:00Z' },
  episodes: [{ number: 1, ...custody }],
});
const fullDocuments = personDocuments({
  passport: {
    state: 'destroyed',
    confiscation: { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: 'Invented place' },
    destruction: { destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: 'Invented destruction' },
  },
  applications: [
    {
      applicationId: '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f72',
      appliedAt: '2025-09-12T00:00:00Z',
      country: 'LT',
      documentType: 'aliens-passport',
      decision: 'refused',
      decidedAt: '2025-09-20T00:00:00Z',
      validUntil: '2030-01-01',
      reason: 'Invented reason',
    },
  ],
});
const fullCase = {
  ...legalCase(caseId),
  violations: legalCase(caseId).violations.map((violation) => ({
    ...violation,
    state: 'confirmed',
    decidedBy: 'advisor:lawyer-1',
    decidedAt: '2025-09-13T00:00:00Z',
    reasoning: 'Invented reasoning',
  })),
  evidence: [
    {
      evidenceId: '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f90',
      kind: 'testimony',
      source: 'family',
      sha256: 'a'.repeat(64),
      description: 'Invented description',
      violationIds: [],
      attachedBy: 'advisor:lawyer-1',
      attachedAt: '2025-09-13T00:00:00Z',
    },
  ],
  submissions: [
    {
      submissionId: '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f91',
      forum: 'un-wgad',
      violationIds: [],
      status: 'filed',
      reference: 'REF-1',
      filedBy: 'advisor:lawyer-1',
      filedAt: '2025-09-14T00:00:00Z',
      updatedAt: '2025-09-15T00:00:00Z',
      history: [{ status: 'filed', changedBy: 'advisor:lawyer-1', changedAt: '2025-09-15T00:00:00Z', note: 'Invented note' }],
    },
  ],
};
const fullDelivery = delivery({ nextAttemptAt: '2025-09-20T10:05:00.000Z', lastErrorCode: 'webhook.http-503' });
const fullCheck = welfareCheck({
  clearedAt: '2025-09-23T10:00:00.000Z',
  cancelledAt: '2025-09-24T10:00:00.000Z',
  escalation: {
    outcome: 'escalated',
    reason: 'no-followers',
    escalatedAt: '2025-09-22T10:00:02.000Z',
    notificationIds: ['01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f92'],
  },
});

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
  // The reconciliation read is of a run: one is started.
  await gateway.app.inject({
    method: 'POST',
    url: '/v1/admin/reconciliations',
    payload: {},
    headers: { authorization: `Bearer ${await gateway.token(['operator'])}` },
  });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.reset();
  gateway.intake.answers.getPerson = () => of(fullFile);
  gateway.intake.answers.listPeople = () =>
    of({ items: [personSummary(), personSummary({ personId: secondPersonId, fullName: 'Second Invented' })], nextCursor: 'next' });
  gateway.intake.answers.getReleaseBatch = (request) =>
    of({
      batchId: request.batchId,
      announcement: {
        date: '2025-09-11',
        announcedCount: 52,
        brokeredBy: 'United States',
        conditions: 'Invented conditions',
        announcedAt: '2025-09-11T07:00:00Z',
      },
      counts: { announced: 52, registered: 40, released: 38, deported: 38, foreignNationals: 14, nearEndOfSentence: 20, contactLost: 1 },
    });
  gateway.identityDocuments.answers.getDocuments = () => of(fullDocuments);
  gateway.legal.answers.listCases = () => of({ items: [fullCase], nextCursor: '' });
  gateway.legal.answers.getCase = () => of(fullCase);
  gateway.notifications.answers.listDeliveries = () => of({ items: [fullDelivery], nextCursor: '' });
  gateway.notifications.answers.listWelfareChecks = () => of({ items: [fullCheck], nextCursor: '' });
  gateway.audit.answers.searchEvents = () =>
    of({
      items: [auditEvent(), auditEvent({ eventId: '01936b2e-7a4c-7d1e-9f3a-000000000009', subject: secondPersonId })],
      nextCursor: '',
      total: 2,
    });
});

const read = async (route: string, role: Role) => {
  const response = await gateway.app.inject({
    method: 'GET',
    url: urls[route]!,
    headers: { authorization: `Bearer ${await gateway.token([role], { sub: `reader-${role}` })}` },
  });
  const answer = readAnswers[route]!;
  const body = answer.text
    ? response.body
    : answer.lines
      ? response.body
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as unknown)
      : (response.json() as unknown);
  return { status: response.statusCode, body };
};

/** Every path the answer holds (through lists), containers included. */
function pathsIn(value: unknown, path: string[] = [], found = new Map<string, string[]>()): Map<string, string[]> {
  if (Array.isArray(value)) {
    for (const item of value) pathsIn(item, path, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      found.set(childPath.join('.'), childPath);
      // A free-form value (the event data the audit copy holds) is one field, whatever its keys.
      if (key !== 'data') pathsIn(child, childPath, found);
    }
  }
  return found;
}

/** Whether a field is where the answer could hold it: its parents are all there and not null or empty. */
function holds(value: unknown, path: readonly string[]): 'present' | 'absent' | 'no-parent' {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'no-parent';
    const each = value.map((item) => holds(item, path));
    return each.includes('present') ? 'present' : each.includes('absent') ? 'absent' : 'no-parent';
  }
  if (value === null || typeof value !== 'object') return 'no-parent';
  const [key, ...rest] = path;
  if (!Object.hasOwn(value, key!)) return 'absent';
  return rest.length === 0 ? 'present' : holds((value as Record<string, unknown>)[key!], rest);
}

describe('the role-by-field table', () => {
  it('has an answer table for every read route route-roles.ts admits anyone to, and no other', () => {
    expect(Object.keys(readAnswers).sort()).toEqual(readRoutes.map(([route]) => route).sort());
    expect(Object.keys(urls).sort()).toEqual(Object.keys(readAnswers).sort());
  });

  it('reaches every field of every answer, and admin sees them all', () => {
    for (const [route, { table }] of Object.entries(readAnswers)) {
      const unseen = leafPaths(table).filter((path) => !visible(table, path, ['admin']));
      expect({ route, unseen }).toEqual({ route, unseen: [] });
    }
  });

  it('names only fields its answers have (a misspelt row would grant or deny nothing)', () => {
    const check = (table: FieldTable, where: string) => {
      const leaves = leafPaths(table).map((path) => path.join('.'));
      for (const [key, row] of Object.entries(table.rows)) {
        if (key !== '*' && table.view)
          expect({ where, key, known: leaves.some((leaf) => leaf === key || leaf.startsWith(`${key}.`)) }).toEqual({
            where,
            key,
            known: true,
          });
        if (!Array.isArray(row)) check(row as FieldTable, `${where} ${key}`);
      }
    };
    for (const [route, { table }] of Object.entries(readAnswers)) check(table, route);
  });

  it.each([
    ['notifications', ['aliases', 'birthDate', 'detentionConditions', 'legal', 'documents', 'fullName', 'occupation', 'episodes']],
    ['documents', ['aliases', 'birthDate', 'detentionConditions', 'legal', 'notifications', 'contact']],
    [
      'legal',
      [
        'aliases',
        'birthDate',
        'occupation',
        'contact',
        'notifications',
        'detentionConditions.account',
        'episodes.detentionConditions.account',
        'imprisonment.charges',
        'imprisonment.facility',
      ],
    ],
    ['intake', ['legal', 'notifications', 'documents.passport', 'documents.applications']],
  ] as const)("keeps %s's person file to what it needs", (role, hidden) => {
    const table = readAnswers['GET /v1/people/:personId']!.table;
    for (const field of hidden) expect({ field, visible: visible(table, field.split('.'), [role]) }).toEqual({ field, visible: false });
  });
});

describe.each(readRoutes)('%s', (route, access) => {
  const answer = readAnswers[route]!;
  it.each(access as Role[])('answers %s exactly the fields the table grants it', async (role) => {
    const { status, body } = await read(route, role);
    expect(status).toBe(200);
    const shown = [...pathsIn(body).values()].filter((path) => !visible(answer.table, path, [role]));
    expect({ role, notGranted: shown.map((path) => path.join('.')) }).toEqual({ role, notGranted: [] });
    const missing = leafPaths(answer.table)
      .filter((path) => path.length > 0 && path[0] !== 'partial' && visible(answer.table, path, [role]) && holds(body, path) === 'absent')
      .map((path) => path.join('.'));
    expect({ role, missing }).toEqual({ role, missing: [] });

    const logged = gateway.audit.calls.filter((call) => call.method === 'recordAccess');
    if (!answer.logs) {
      expect(logged).toHaveLength(0);
      return;
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]!.request).toMatchObject({ actor: `reader-${role}`, roles: [role], route, fields: fieldsShown(answer.table, [role]) });
    const named = (logged[0]!.request as { personIds: string[] }).personIds;
    expect(named).toContain(personId);
    if (/\/v1\/(people|audit\/events)$/.test(route)) expect(named).toEqual([personId, secondPersonId]);
  });
});

describe.each(readRoutes.filter(([route]) => readAnswers[route]!.logs))('%s, when the access log cannot record the read', (route) => {
  it('answers 503 problem+json, and nothing of the answer', async () => {
    gateway.audit.answers.recordAccess = () => grpcFailure(grpcStatus.UNAVAILABLE, 'down');
    const response = await gateway.app.inject({
      method: 'GET',
      url: urls[route]!,
      headers: { authorization: `Bearer ${await gateway.token(['admin'])}` },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 503, code: 'audit.access-not-recorded' });
    expect(Object.keys(response.json() as object).sort()).toEqual(['code', 'detail', 'instance', 'status', 'title', 'type']);
    expect(gateway.logs.join('\n')).not.toContain('Test Person');
    expect(gateway.logs.some((line) => line.includes('read refused: the access log did not record it'))).toBe(true);
  });
});

describe('the OpenAPI document', () => {
  it('says on each read route what each role it admits gets, from the table', async () => {
    const document = (await gateway.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    // The Prometheus text is no document of fields, and no route of the OpenAPI document.
    for (const [route, access] of readRoutes.filter(([candidate]) => !readAnswers[candidate]!.text)) {
      const [method, pattern] = route.split(' ') as [string, string];
      const description = document.paths[pattern.replace(/:(\w+)/g, '{$1}')]![method.toLowerCase()]!.description ?? '';
      for (const role of access as Role[])
        expect(description).toContain(`- **${role}**: ${describeFields(readAnswers[route]!.table, role)}`);
      if (readAnswers[route]!.logs) expect(description).toContain('written to the access log');
    }
  });
});
