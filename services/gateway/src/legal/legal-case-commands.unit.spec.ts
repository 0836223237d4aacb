import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { legal } from '@homeward/contracts';
import { of } from 'rxjs';
import { caseId, commandResult, grpcFailure, startGateway, violationId, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let token: string;
beforeAll(async () => {
  gateway = await startGateway();
  token = await gateway.token(['legal'], { sub: 'lawyer-7' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const post = async (url: string, payload: unknown, headers: Record<string, string> = {}, bearer = token) =>
  gateway.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${bearer}`, ...headers } });

const problemType = (kind: string) => `https://homeward.example/problems/${kind}`;
const submissionId = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f90';
const reasoning = 'Two independent witnesses describe the confiscation at the border.';
const sha256 = 'AbCdEf0123456789'.repeat(4);
const evidence = {
  kind: 'photo',
  source: 'family',
  sha256,
  description: 'Photograph of the OGiM certificate',
  violationIds: [violationId],
};
const submission = { forum: 'un-human-rights-committee', violationIds: [violationId] };
const fieldsOf = (response: { json(): { errors?: Array<{ field: string }> } }) =>
  (response.json().errors ?? []).map((error) => error.field);

const routes = {
  flag: `/v1/legal/cases/${caseId}/violations`,
  confirm: `/v1/legal/cases/${caseId}/violations/${violationId}/confirm`,
  dismiss: `/v1/legal/cases/${caseId}/violations/${violationId}/dismiss`,
  evidence: `/v1/legal/cases/${caseId}/evidence`,
  submissions: `/v1/legal/cases/${caseId}/submissions`,
  status: `/v1/legal/cases/${caseId}/submissions/${submissionId}/status`,
};

describe('POST /v1/legal/cases/:caseId/violations/:violationId/confirm and /dismiss', () => {
  it.each([
    ['confirm', 'confirmViolation'],
    ['dismiss', 'dismissViolation'],
  ] as const)('%s: 201, the result, and the reasoning and metadata sent to legal', async (route, method) => {
    const response = await post(
      routes[route],
      { reasoning },
      { 'idempotency-key': 'decide-1', 'if-match': '"2"', 'x-correlation-id': 'corr-1' },
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: caseId, streamVersion: 3, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(gateway.legal.calls).toEqual([
      expect.objectContaining({
        method,
        request: {
          metadata: {
            actor: 'lawyer-7',
            correlationId: 'corr-1',
            causationId: 'corr-1',
            idempotencyKey: 'decide-1',
            expectedVersion: 2,
            traceparent: '',
          },
          caseId,
          violationId,
          reasoning,
        } satisfies legal.ConfirmViolationRequest,
      }),
    ]);
  });

  it.each([
    ['no reasoning', {}],
    ['a reasoning of 9 characters', { reasoning: 'too short' }],
    ['a blank reasoning', { reasoning: ' '.repeat(20) }],
    ['a reasoning over 5000 characters', { reasoning: 'x'.repeat(5001) }],
    ['a reasoning that is no string', { reasoning: 42 }],
  ])('refuses %s with 400, without calling legal', async (_case, body) => {
    for (const route of [routes.confirm, routes.dismiss]) {
      const response = await post(route, body);
      expect(response.statusCode).toBe(400);
      expect(fieldsOf(response)).toContain('reasoning');
    }
    expect(gateway.legal.calls).toHaveLength(0);
  });

  it('accepts 10 and 5000 characters', async () => {
    expect((await post(routes.confirm, { reasoning: 'x'.repeat(10) })).statusCode).toBe(201);
    expect((await post(routes.dismiss, { reasoning: 'x'.repeat(5000) })).statusCode).toBe(201);
  });

  it('refuses ids that are not UUIDs', async () => {
    expect(fieldsOf(await post(`/v1/legal/cases/case-1/violations/${violationId}/confirm`, { reasoning }))).toEqual(['caseId']);
    expect(fieldsOf(await post(`/v1/legal/cases/${caseId}/violations/v-1/dismiss`, { reasoning }))).toEqual(['violationId']);
    expect(gateway.legal.calls).toHaveLength(0);
  });

  it('answers 422 with the service’s code when the violation was already decided', async () => {
    gateway.legal.answers.confirmViolation = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'this violation is already dismissed', {
        kind: 'rule-violated',
        code: 'violation.already-dismissed',
      });
    const response = await post(routes.confirm, { reasoning });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ type: problemType('rule-violated'), code: 'violation.already-dismissed' });
  });

  it('answers 200 with the first result for a repeated request', async () => {
    gateway.legal.answers.dismissViolation = () => of({ ...commandResult(caseId, 3), repeatedRequest: true });
    expect((await post(routes.dismiss, { reasoning }, { 'idempotency-key': 'k' })).statusCode).toBe(200);
  });
});

describe('POST /v1/legal/cases/:caseId/violations', () => {
  it('flags for an advisor: the citation, the events it rests on and the summary', async () => {
    const restsOn = ['01936b2e-7a4c-7d1e-9f3a-0000000000e1'];
    const response = await post(routes.flag, { instrument: 'ICCPR', provision: '9(1)', restsOn, summary: 'Arbitrary detention.' });
    expect(response.statusCode).toBe(201);
    expect(gateway.legal.calls[0]).toMatchObject({
      method: 'flagViolation',
      request: { caseId, instrument: 'ICCPR', provision: '9(1)', restsOn, summary: 'Arbitrary detention.' },
    });
  });

  it('sends defaults for what is left out', async () => {
    await post(routes.flag, { instrument: '1961 Convention on the Reduction of Statelessness', summary: 'At risk.' });
    expect(gateway.legal.calls[0]!.request).toMatchObject({ provision: '', restsOn: [] });
  });

  it.each([
    ['no instrument', { summary: 's' }, 'instrument'],
    ['an instrument with markup', { instrument: '<b>ICCPR</b>', summary: 's' }, 'instrument'],
    ['events that are not ids', { instrument: 'ICCPR', restsOn: ['e1'], summary: 's' }, 'restsOn'],
    ['no summary', { instrument: 'ICCPR' }, 'summary'],
  ])('refuses %s with 400', async (_case, body, field) => {
    expect(fieldsOf(await post(routes.flag, body))).toContain(field);
  });
});

describe('POST /v1/legal/cases/:caseId/evidence', () => {
  it('attaches evidence, the sha256 in lower case', async () => {
    const response = await post(routes.evidence, evidence);
    expect(response.statusCode).toBe(201);
    expect(gateway.legal.calls[0]).toMatchObject({
      method: 'attachEvidence',
      request: {
        caseId,
        kind: 'photo',
        source: 'family',
        sha256: sha256.toLowerCase(),
        description: 'Photograph of the OGiM certificate',
        violationIds: [violationId],
      },
    });
  });

  it('sends no violation ids when there are none', async () => {
    const { violationIds: _none, ...rest } = evidence;
    await post(routes.evidence, rest);
    expect(gateway.legal.calls[0]!.request).toMatchObject({ violationIds: [] });
  });

  it.each([
    ['a sha256 of 63 characters', { sha256: 'a'.repeat(63) }, 'sha256'],
    ['a sha256 of 65 characters', { sha256: 'a'.repeat(65) }, 'sha256'],
    ['a sha256 that is not hex', { sha256: 'g'.repeat(64) }, 'sha256'],
    ['an unknown kind', { kind: 'rumour' }, 'kind'],
    ['a blank source', { source: '  ' }, 'source'],
    ['a description over 2000 characters', { description: 'd'.repeat(2001) }, 'description'],
    ['violation ids that are not ids', { violationIds: ['v-1'] }, 'violationIds'],
  ])('refuses %s with 400', async (_case, change, field) => {
    const response = await post(routes.evidence, { ...evidence, ...change });
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
    expect(gateway.legal.calls).toHaveLength(0);
  });

  it('answers 422 when the same file is already attached', async () => {
    gateway.legal.answers.attachEvidence = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'this file is already attached to the case', {
        kind: 'rule-violated',
        code: 'evidence.already-attached',
      });
    expect((await post(routes.evidence, evidence)).json()).toMatchObject({ status: 422, code: 'evidence.already-attached' });
  });
});

describe('POST /v1/legal/cases/:caseId/submissions', () => {
  it('files a submission, drafted by default', async () => {
    const response = await post(routes.submissions, submission);
    expect(response.statusCode).toBe(201);
    expect(gateway.legal.calls[0]).toMatchObject({
      method: 'fileSubmission',
      request: { caseId, forum: 'un-human-rights-committee', violationIds: [violationId], status: 'drafted', reference: '' },
    });
  });

  it('files one already sent, with its reference', async () => {
    await post(routes.submissions, { ...submission, forum: 'icc-otp', status: 'filed', reference: 'OTP-CR-2025-17' });
    expect(gateway.legal.calls[0]!.request).toMatchObject({ forum: 'icc-otp', status: 'filed', reference: 'OTP-CR-2025-17' });
  });

  it.each([
    ['an unknown forum', { forum: 'un-general-assembly' }, 'forum'],
    ['no violation', { violationIds: [] }, 'violationIds'],
    ['a status past filed', { status: 'registered' }, 'status'],
    ['a long reference', { reference: 'r'.repeat(201) }, 'reference'],
  ])('refuses %s with 400', async (_case, change, field) => {
    expect(fieldsOf(await post(routes.submissions, { ...submission, ...change }))).toContain(field);
    expect(gateway.legal.calls).toHaveLength(0);
  });

  it('answers 422 for a violation no advisor confirmed', async () => {
    gateway.legal.answers.fileSubmission = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'only violations an advisor confirmed go into a submission', {
        kind: 'rule-violated',
        code: 'submission.violation-not-confirmed',
      });
    expect((await post(routes.submissions, submission)).json()).toMatchObject({ status: 422, code: 'submission.violation-not-confirmed' });
  });
});

describe('POST /v1/legal/cases/:caseId/submissions/:submissionId/status', () => {
  it('moves a submission on', async () => {
    const response = await post(routes.status, { status: 'registered', reference: 'CCPR/C/4711/2025', note: 'acknowledged' });
    expect(response.statusCode).toBe(201);
    expect(response.json().streamVersion).toBe(4);
    expect(gateway.legal.calls[0]).toMatchObject({
      method: 'changeSubmissionStatus',
      request: { caseId, submissionId, status: 'registered', reference: 'CCPR/C/4711/2025', note: 'acknowledged' },
    });
  });

  it('refuses an unknown status, and a submission id that is not a UUID', async () => {
    expect(fieldsOf(await post(routes.status, { status: 'lost' }))).toContain('status');
    expect(fieldsOf(await post(`/v1/legal/cases/${caseId}/submissions/s-1/status`, { status: 'filed' }))).toEqual(['submissionId']);
  });

  it('answers 422 for a move the process does not allow, and 409 for a stale If-Match', async () => {
    gateway.legal.answers.changeSubmissionStatus = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'a drafted submission cannot become decided', {
        kind: 'rule-violated',
        code: 'submission.transition-not-allowed',
      });
    expect((await post(routes.status, { status: 'decided' })).json()).toMatchObject({
      status: 422,
      code: 'submission.transition-not-allowed',
    });
    gateway.legal.answers.changeSubmissionStatus = () =>
      grpcFailure(status.ABORTED, 'expected version 1, stream is at 4', { kind: 'version-conflict', code: 'stream.version-conflict' });
    expect((await post(routes.status, { status: 'filed' }, { 'if-match': '1' })).json()).toMatchObject({
      status: 409,
      type: problemType('version-conflict'),
    });
  });
});

describe('legal commands', () => {
  const everyRoute: Array<[string, unknown]> = [
    [routes.flag, { instrument: 'ICCPR', summary: 's' }],
    [routes.confirm, { reasoning }],
    [routes.dismiss, { reasoning }],
    [routes.evidence, evidence],
    [routes.submissions, submission],
    [routes.status, { status: 'filed' }],
  ];

  it('are for legal and admin only', async () => {
    const others = await gateway.token(['intake', 'documents', 'notifications', 'operator', 'auditor']);
    const admin = await gateway.token(['admin']);
    for (const [route, body] of everyRoute) {
      expect({ route, status: (await post(route, body, {}, others)).statusCode }).toEqual({ route, status: 403 });
      expect({ route, status: (await post(route, body, {}, admin)).statusCode }).toEqual({ route, status: 201 });
    }
    expect(gateway.legal.calls).toHaveLength(everyRoute.length);
  });

  it('refuse unknown fields and never echo a value', async () => {
    for (const [route, body] of everyRoute) {
      const response = await post(route, { ...(body as object), secretNote: 'SECRET-4711' });
      expect(response.statusCode).toBe(400);
      expect(fieldsOf(response)).toEqual(['secretNote']);
      expect(response.body).not.toContain('SECRET-4711');
    }
    expect(gateway.logs.join('\n')).not.toContain('SECRET-4711');
  });
});
