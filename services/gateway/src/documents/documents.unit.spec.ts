import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { identityDocuments } from '@homeward/contracts';
import type { Role } from '@homeward/security';
import { of } from 'rxjs';
import {
  applicationId,
  commandResult,
  grpcFailure,
  personDocuments,
  personId,
  startGateway,
  type Harness,
} from '../testing/gateway-harness.js';

let gateway: Harness;
let documentsToken: string;
beforeAll(async () => {
  gateway = await startGateway();
  documentsToken = await gateway.token(['documents'], { sub: 'caseworker-3' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const base = `/v1/people/${personId}/documents`;
const urls = {
  confiscations: `${base}/passport-confiscations`,
  destructions: `${base}/passport-destructions`,
  certificates: `${base}/temporary-certificates`,
  applications: `${base}/travel-document-applications`,
  decision: `${base}/travel-document-applications/${applicationId}/decision`,
};

const post = (url: string, payload: unknown, headers: Record<string, string> = {}, bearer = documentsToken) =>
  gateway.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${bearer}`, ...headers } });
const get = (url: string, bearer = documentsToken) =>
  gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

const problemType = (kind: string) => `https://homeward.example/problems/${kind}`;
const fieldsOf = (response: { json(): { errors?: Array<{ field: string }> } }) =>
  (response.json().errors ?? []).map((error) => error.field);
const lastCall = () => gateway.identityDocuments.calls.at(-1)!;

const confiscation = { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: 'Invented detention centre' };
const destruction = { destroyedAt: '2025-09-11T07:00:00+03:00', authority: 'prison-administration', account: 'SECRET-ACCOUNT torn up' };
const certificate = { issuedAt: '2025-09-11T09:00:00Z', issuer: 'OGiM', format: 'A4' };
const application = { appliedAt: '2025-09-20T10:00:00Z', country: 'LT', documentType: 'aliens-passport' };
const issued = { decision: 'issued', decidedAt: '2025-10-20T10:00:00Z', validUntil: '2030-10-19' };
const refused = { decision: 'refused', decidedAt: '2025-10-20T10:00:00Z', reason: 'identity not established' };

describe('POST …/documents/passport-confiscations', () => {
  it('records: 201, the path id, If-Match and Idempotency-Key as metadata, the actor from the token', async () => {
    const response = await post(urls.confiscations, confiscation, {
      'if-match': '"0"',
      'idempotency-key': 'conf-1',
      'x-correlation-id': 'corr-d1',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: personId, streamVersion: 1, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(gateway.identityDocuments.calls).toHaveLength(1);
    expect(lastCall().method).toBe('recordPassportConfiscation');
    expect(lastCall().request).toEqual({
      metadata: {
        actor: 'caseworker-3',
        correlationId: 'corr-d1',
        causationId: 'corr-d1',
        idempotencyKey: 'conf-1',
        expectedVersion: 0,
        traceparent: '',
      },
      personId,
      confiscatedAt: '2025-09-11T06:00:00Z',
      authority: 'kgb',
      place: 'Invented detention centre',
    } satisfies identityDocuments.RecordPassportConfiscationRequest);
    const [metadata, options] = lastCall().rest as [{ get(key: string): unknown[] }, { deadline: number }];
    expect(metadata.get('x-correlation-id')).toEqual(['corr-d1']);
    expect(options.deadline).toBeGreaterThan(Date.now());
  });

  it('sends an empty place when none is given', async () => {
    await post(urls.confiscations, { confiscatedAt: confiscation.confiscatedAt, authority: 'unknown' });
    expect(lastCall().request).toMatchObject({ place: '', authority: 'unknown' });
  });

  it.each([
    ['a missing time', { authority: 'kgb' }, 'confiscatedAt'],
    ['a time without a zone', { ...confiscation, confiscatedAt: '2025-09-11T06:00:00' }, 'confiscatedAt'],
    ['an unknown authority', { ...confiscation, authority: 'police' }, 'authority'],
    ['an authority in capitals', { ...confiscation, authority: 'KGB' }, 'authority'],
    ['a long place', { ...confiscation, place: 'p'.repeat(201) }, 'place'],
    ['an unknown field', { ...confiscation, passportNumber: 'MP1234567' }, 'passportNumber'],
  ])('refuses %s with 400 naming the field, and calls nobody', async (_case, body, field) => {
    const response = await post(urls.confiscations, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: problemType('validation-failed') });
    expect(fieldsOf(response)).toContain(field);
    expect(response.body).not.toContain('MP1234567');
    expect(gateway.identityDocuments.calls).toHaveLength(0);
  });

  it('refuses a personId that is not a UUID with 400', async () => {
    const response = await post('/v1/people/42/documents/passport-confiscations', confiscation);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['personId']);
  });

  it('maps a broken rule to 422 with the stable code', async () => {
    gateway.identityDocuments.answers.recordPassportConfiscation = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'the passport is already recorded as confiscated', {
        kind: 'rule-violated',
        code: 'passport.already-confiscated',
      });
    const response = await post(urls.confiscations, confiscation);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      type: problemType('rule-violated'),
      code: 'passport.already-confiscated',
      instance: urls.confiscations,
    });
  });

  it('maps a stale If-Match to 409 and a repeated request to 200', async () => {
    gateway.identityDocuments.answers.recordPassportConfiscation = () =>
      grpcFailure(status.ABORTED, 'expected version 0, stream is at 1', { kind: 'version-conflict', code: 'stream.version-conflict' });
    expect((await post(urls.confiscations, confiscation, { 'if-match': '0' })).statusCode).toBe(409);
    gateway.identityDocuments.answers.recordPassportConfiscation = () => of({ ...commandResult(), repeatedRequest: true });
    expect((await post(urls.confiscations, confiscation, { 'idempotency-key': 'k' })).statusCode).toBe(200);
  });
});

describe('POST …/documents/passport-destructions', () => {
  it('records with the account, and never logs it', async () => {
    const response = await post(urls.destructions, destruction);
    expect(response.statusCode).toBe(201);
    expect(lastCall()).toMatchObject({
      method: 'recordPassportDestruction',
      request: {
        personId,
        destroyedAt: '2025-09-11T07:00:00+03:00',
        authority: 'prison-administration',
        account: 'SECRET-ACCOUNT torn up',
      },
    });
    expect(gateway.logs.join('\n')).not.toContain('SECRET-ACCOUNT');
  });

  it('sends an empty account when none is given', async () => {
    await post(urls.destructions, { destroyedAt: destruction.destroyedAt, authority: 'kgb' });
    expect(lastCall().request).toMatchObject({ account: '' });
  });

  it.each([
    ['an unknown authority', { ...destruction, authority: 'militia' }, 'authority'],
    ['a date without a time', { ...destruction, destroyedAt: '2025-09-11' }, 'destroyedAt'],
    ['an account over 2000 characters', { ...destruction, account: 'a'.repeat(2001) }, 'account'],
  ])('refuses %s with 400, without echoing the account', async (_case, body, field) => {
    const response = await post(urls.destructions, body);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
    expect(response.body).not.toContain('SECRET-ACCOUNT');
  });
});

describe('POST …/documents/temporary-certificates', () => {
  it('records the A4 certificate as not valid as an identity document by default', async () => {
    expect((await post(urls.certificates, certificate)).statusCode).toBe(201);
    expect(lastCall()).toMatchObject({
      method: 'issueTemporaryCertificate',
      request: { personId, issuedAt: '2025-09-11T09:00:00Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false },
    });
  });

  it('passes validAsIdentityDocument when given', async () => {
    await post(urls.certificates, { ...certificate, issuer: 'Migration Department', format: 'card', validAsIdentityDocument: true });
    expect(lastCall().request).toMatchObject({ validAsIdentityDocument: true });
  });

  it.each([
    ['a blank issuer', { ...certificate, issuer: '  ' }, 'issuer'],
    ['a missing format', { issuedAt: certificate.issuedAt, issuer: 'OGiM' }, 'format'],
    ['a long format', { ...certificate, format: 'f'.repeat(21) }, 'format'],
    ['validAsIdentityDocument as text', { ...certificate, validAsIdentityDocument: 'false' }, 'validAsIdentityDocument'],
  ])('refuses %s with 400', async (_case, body, field) => {
    const response = await post(urls.certificates, body);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
  });
});

describe('POST …/documents/travel-document-applications', () => {
  it('records: 201 with the application id the service assigned; the gateway sends none', async () => {
    const response = await post(urls.applications, application);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: personId, streamVersion: 3, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'], applicationId });
    expect(lastCall()).toMatchObject({
      method: 'applyForTravelDocument',
      request: { personId, applicationId: '', appliedAt: '2025-09-20T10:00:00Z', country: 'LT', documentType: 'aliens-passport' },
    });
  });

  it('answers 200 with the first application id for a repeated request', async () => {
    gateway.identityDocuments.answers.applyForTravelDocument = () => of({ ...commandResult(), repeatedRequest: true, applicationId });
    const response = await post(urls.applications, application, { 'idempotency-key': 'apply-1' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ applicationId });
  });

  it.each([
    ['an unknown document type', { ...application, documentType: 'passport' }, 'documentType'],
    ['a lower-case country', { ...application, country: 'lt' }, 'country'],
    ['an unknown country', { ...application, country: 'XX' }, 'country'],
    ['a caller-chosen application id', { ...application, applicationId }, 'applicationId'],
  ])('refuses %s with 400', async (_case, body, field) => {
    const response = await post(urls.applications, body);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
  });
});

describe('POST …/travel-document-applications/:applicationId/decision', () => {
  it('records an issue with validUntil, and an empty reason', async () => {
    expect((await post(urls.decision, issued)).statusCode).toBe(201);
    expect(lastCall()).toMatchObject({
      method: 'decideTravelDocumentApplication',
      request: { personId, applicationId, decision: 'issued', decidedAt: '2025-10-20T10:00:00Z', validUntil: '2030-10-19', reason: '' },
    });
  });

  it('records a refusal with its reason, and an empty validUntil', async () => {
    expect((await post(urls.decision, refused)).statusCode).toBe(201);
    expect(lastCall().request).toMatchObject({ decision: 'refused', reason: 'identity not established', validUntil: '' });
  });

  it.each([
    ['an unknown decision', { ...issued, decision: 'pending' }, 'decision'],
    ['a reason with an issue', { ...issued, reason: 'x' }, 'reason'],
    ['a validUntil with a refusal', { ...refused, validUntil: '2030-01-01' }, 'validUntil'],
    ['a validUntil that is no date', { ...issued, validUntil: '2030-02-30' }, 'validUntil'],
    ['a decidedAt without a zone', { ...issued, decidedAt: '2025-10-20T10:00:00' }, 'decidedAt'],
  ])('refuses %s with 400', async (_case, body, field) => {
    const response = await post(urls.decision, body);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
    expect(gateway.identityDocuments.calls).toHaveLength(0);
  });

  it('refuses an applicationId that is not a UUID with 400', async () => {
    const response = await post(`${base}/travel-document-applications/app-1/decision`, issued);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['applicationId']);
  });

  it('maps an unknown application to 404 and a second decision to 422, with their codes', async () => {
    gateway.identityDocuments.answers.decideTravelDocumentApplication = () =>
      grpcFailure(status.NOT_FOUND, 'no travel-document application with this id', {
        kind: 'not-found',
        code: 'travel-document.application-not-found',
      });
    expect((await post(urls.decision, issued)).json()).toMatchObject({
      status: 404,
      type: problemType('not-found'),
      code: 'travel-document.application-not-found',
    });
    gateway.identityDocuments.answers.decideTravelDocumentApplication = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'this application was already issued', {
        kind: 'rule-violated',
        code: 'travel-document.already-decided',
      });
    expect((await post(urls.decision, refused)).json()).toMatchObject({ status: 422, code: 'travel-document.already-decided' });
  });
});

describe('GET /v1/people/:personId/documents', () => {
  it('answers the documents, with null for what is not recorded', async () => {
    const response = await get(`${base}?minVersion=2`);
    expect(response.statusCode).toBe(200);
    expect(gateway.identityDocuments.calls[0]).toMatchObject({ method: 'getDocuments', request: { personId, minVersion: 2 } });
    expect(response.json()).toEqual({
      personId,
      streamVersion: 2,
      status: 'at-risk-of-statelessness',
      passport: {
        state: 'confiscated',
        confiscation: { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: null },
        destruction: null,
      },
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
    });
  });

  it('maps applications: pending ones have null decision fields', async () => {
    gateway.identityDocuments.answers.getDocuments = () =>
      of(
        personDocuments({
          status: 'documented',
          passport: { state: 'destroyed', destruction: { destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: '' } },
          applications: [
            {
              applicationId,
              appliedAt: '2025-09-20T10:00:00Z',
              country: 'LT',
              documentType: 'aliens-passport',
              decision: 'issued',
              decidedAt: '2025-10-20T10:00:00Z',
              validUntil: '2030-10-19',
              reason: '',
            },
            {
              applicationId: personId,
              appliedAt: '2025-09-21T10:00:00Z',
              country: 'PL',
              documentType: 'humanitarian-visa',
              decision: 'pending',
              decidedAt: '',
              validUntil: '',
              reason: '',
            },
          ],
        }),
      );
    const body = (await get(base)).json();
    expect(body.passport).toEqual({
      state: 'destroyed',
      confiscation: null,
      destruction: { destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: null },
    });
    expect(body.applications).toEqual([
      {
        applicationId,
        appliedAt: '2025-09-20T10:00:00Z',
        country: 'LT',
        documentType: 'aliens-passport',
        decision: 'issued',
        decidedAt: '2025-10-20T10:00:00Z',
        validUntil: '2030-10-19',
        reason: null,
      },
      {
        applicationId: personId,
        appliedAt: '2025-09-21T10:00:00Z',
        country: 'PL',
        documentType: 'humanitarian-visa',
        decision: 'pending',
        decidedAt: null,
        validUntil: null,
        reason: null,
      },
    ]);
  });

  it('sends no minVersion when none is asked for, and refuses a bad one', async () => {
    await get(base);
    expect(gateway.identityDocuments.calls[0]!.request).toEqual({ personId, minVersion: undefined });
    const response = await get(`${base}?minVersion=-1`);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain('minVersion');
  });

  it('maps nothing recorded to 404 and a lagging read model to 409', async () => {
    gateway.identityDocuments.answers.getDocuments = () =>
      grpcFailure(status.NOT_FOUND, 'no documents are recorded for this person', { kind: 'not-found', code: 'documents.not-found' });
    expect((await get(base)).json()).toMatchObject({ status: 404, code: 'documents.not-found' });
    gateway.identityDocuments.answers.getDocuments = () =>
      grpcFailure(status.OUT_OF_RANGE, 'the documents are at version 1', {
        kind: 'not-yet-consistent',
        code: 'documents.not-yet-consistent',
      });
    expect((await get(`${base}?minVersion=5`)).json()).toMatchObject({ status: 409, type: problemType('not-yet-consistent') });
  });
});

describe('GET /v1/documents/undocumented', () => {
  it('passes the filter and page, and answers { items, nextCursor }', async () => {
    gateway.identityDocuments.answers.listUndocumented = () => of({ items: [{ personId, status: 'undocumented' }], nextCursor: 'c2' });
    const response = await get('/v1/documents/undocumented?status=undocumented&limit=10&cursor=c1');
    expect(response.statusCode).toBe(200);
    expect(gateway.identityDocuments.calls[0]).toMatchObject({
      method: 'listUndocumented',
      request: { status: 'undocumented', limit: 10, cursor: 'c1' },
    });
    expect(response.json()).toEqual({ items: [{ personId, status: 'undocumented' }], nextCursor: 'c2' });
  });

  it('asks for both statuses and 50 by default, and answers nextCursor: null on the last page', async () => {
    const response = await get('/v1/documents/undocumented');
    expect(gateway.identityDocuments.calls[0]!.request).toEqual({ status: '', limit: 50, cursor: '' });
    expect(response.json()).toEqual({ items: [{ personId, status: 'at-risk-of-statelessness' }], nextCursor: null });
  });

  it.each([
    ['status=documented', 'status=documented', 'status'],
    ['status=stateless', 'status=stateless', 'status'],
    ['limit=0', 'limit=0', 'limit'],
    ['limit=101', 'limit=101', 'limit'],
    ['a cursor over 500 characters', `cursor=${'c'.repeat(501)}`, 'cursor'],
    ['an unknown parameter', `personId=${personId}`, 'personId'],
  ])('refuses %s with 400', async (_case, query, field) => {
    const response = await get(`/v1/documents/undocumented?${query}`);
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
  });
});

describe('roles', () => {
  const commands: Array<[string, unknown]> = [
    [urls.confiscations, confiscation],
    [urls.destructions, destruction],
    [urls.certificates, certificate],
    [urls.applications, application],
    [urls.decision, issued],
  ];
  const roles: Role[] = ['intake', 'documents', 'legal', 'notifications', 'operator', 'auditor', 'admin'];

  it.each(commands)('POST %s is for documents and admin only', async (url, body) => {
    for (const role of roles) {
      const response = await post(url, body, {}, await gateway.token([role]));
      expect({ role, status: response.statusCode }).toEqual({ role, status: role === 'documents' || role === 'admin' ? 201 : 403 });
    }
  });

  it.each<[string, Role[]]>([
    [base, ['documents', 'legal', 'intake', 'admin']],
    ['/v1/documents/undocumented', ['documents', 'legal', 'admin']],
  ])('GET %s is for %p only', async (url, allowed) => {
    for (const role of roles) {
      const response = await get(url, await gateway.token([role]));
      expect({ role, status: response.statusCode }).toEqual({ role, status: allowed.includes(role) ? 200 : 403 });
    }
  });

  it('answers 401 without a token', async () => {
    const response = await gateway.app.inject({ method: 'POST', url: urls.confiscations, payload: confiscation });
    expect(response.statusCode).toBe(401);
    expect(gateway.identityDocuments.calls).toHaveLength(0);
  });
});

describe('OpenAPI', () => {
  it('documents every documents route with its body, answers and the bearer scheme', async () => {
    const document = (await gateway.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            security?: unknown;
            requestBody?: { content: Record<string, { schema: { $ref: string } }> };
            responses: Record<string, unknown>;
          }
        >
      >;
      components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
    };
    const bodies: Array<[string, string]> = [
      ['/v1/people/{personId}/documents/passport-confiscations', 'RecordPassportConfiscationBody'],
      ['/v1/people/{personId}/documents/passport-destructions', 'RecordPassportDestructionBody'],
      ['/v1/people/{personId}/documents/temporary-certificates', 'IssueTemporaryCertificateBody'],
      ['/v1/people/{personId}/documents/travel-document-applications', 'ApplyForTravelDocumentBody'],
      ['/v1/people/{personId}/documents/travel-document-applications/{applicationId}/decision', 'DecideTravelDocumentApplicationBody'],
    ];
    for (const [path, schema] of bodies) {
      const operation = document.paths[path]!['post']!;
      expect(operation.requestBody!.content['application/json']!.schema.$ref).toBe(`#/components/schemas/${schema}`);
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '422']));
    }
    expect(document.paths['/v1/people/{personId}/documents']!['get']!.responses['200']).toBeDefined();
    expect(document.paths['/v1/documents/undocumented']!['get']!.responses['200']).toBeDefined();
    const schemas = document.components.schemas;
    expect(schemas['DecideTravelDocumentApplicationBody']!.required!.sort()).toEqual(['decidedAt', 'decision']);
    expect(schemas['TravelDocumentApplicationResultView']!.properties).toHaveProperty('applicationId');
    expect(Object.keys(schemas['PersonDocumentsView']!.properties).sort()).toEqual([
      'applications',
      'certificates',
      'passport',
      'personId',
      'status',
      'streamVersion',
      'updatedAt',
    ]);
  });
});
