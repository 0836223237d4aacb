import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { intake } from '@homeward/contracts';
import { of } from 'rxjs';
import { commandResult, grpcFailure, personId, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let intakeToken: string;
beforeAll(async () => {
  gateway = await startGateway();
  intakeToken = await gateway.token(['intake'], { sub: 'clerk-7' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${intakeToken}`, ...headers } });

const registration = {
  fullName: 'Test Person',
  aliases: ['T. P.'],
  birthDate: '1984-03-02',
  citizenships: ['BY'],
  occupation: 'journalist',
};
const release = { releasedAt: '2025-09-11T14:00:00Z', mechanism: 'brokered', batchId: 'batch-2025.09_1', daysOfSentenceRemaining: 400 };
const deportation = {
  deportedAt: '2025-09-11T16:30:00+03:00',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Kamenny Log',
  consented: false,
};

const problemType = (kind: string) => `https://homeward.example/problems/${kind}`;

describe('POST /v1/people', () => {
  it('registers: 201, the result, a Location, and the request and metadata sent to intake', async () => {
    const response = await post('/v1/people', registration, {
      'idempotency-key': 'retry-safe key 1',
      'x-correlation-id': 'corr-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: personId, streamVersion: 1, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(response.headers['location']).toBe(`/v1/people/${personId}`);
    expect(response.headers['x-correlation-id']).toBe('corr-1');

    expect(gateway.intake.calls).toHaveLength(1);
    const [call] = gateway.intake.calls;
    expect(call!.method).toBe('registerPerson');
    expect(call!.request).toEqual({
      metadata: {
        actor: 'clerk-7',
        correlationId: 'corr-1',
        causationId: 'corr-1',
        idempotencyKey: 'retry-safe key 1',
        expectedVersion: undefined,
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
      personId: '',
      fullName: 'Test Person',
      aliases: ['T. P.'],
      birthDate: '1984-03-02',
      citizenships: ['BY'],
      foreignNational: false,
      occupation: 'journalist',
      batchId: '',
    } satisfies intake.RegisterPersonRequest);
  });

  it('calls intake with a 5 s deadline and the correlation id as gRPC metadata', async () => {
    const before = Date.now();
    await post('/v1/people', { fullName: 'Test Person' }, { 'x-correlation-id': 'corr-2' });
    const [metadata, options] = gateway.intake.calls[0]!.rest as [{ get(key: string): unknown[] }, { deadline: number }];
    expect(metadata.get('x-correlation-id')).toEqual(['corr-2']);
    expect(options.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(options.deadline).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('generates a UUID v7 correlation id when the caller sends none, and sends empty defaults', async () => {
    const response = await post('/v1/people', { fullName: 'Test Person' });
    const request = gateway.intake.calls[0]!.request as intake.RegisterPersonRequest;
    expect(request.metadata!.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(request.metadata!.causationId).toBe(request.metadata!.correlationId);
    expect(response.headers['x-correlation-id']).toBe(request.metadata!.correlationId);
    expect(request).toMatchObject({ aliases: [], birthDate: '', citizenships: [], foreignNational: false, occupation: '' });
    expect(request.metadata).toMatchObject({ idempotencyKey: '', traceparent: '' });
  });

  it('answers 200 with the first result when intake recognises a repeated request', async () => {
    gateway.intake.answers.registerPerson = () => of({ ...commandResult(), repeatedRequest: true });
    const response = await post('/v1/people', registration, { 'idempotency-key': 'k' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: personId, streamVersion: 1, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
  });

  it('refuses an unknown field with 400, naming the field', async () => {
    const response = await post('/v1/people', { ...registration, religion: 'x' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: problemType('validation-failed'),
      status: 400,
      errors: [{ field: 'religion', rule: 'whitelistValidation', message: 'property religion should not exist' }],
    });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it.each([
    ['a missing fullName', { aliases: [] }, 'fullName'],
    ['a blank fullName', { fullName: '   ' }, 'fullName'],
    ['too many aliases', { fullName: 'A', aliases: Array.from({ length: 21 }, (_, i) => `a${i}`) }, 'aliases'],
    ['an empty alias', { fullName: 'A', aliases: ['ok', ''] }, 'aliases'],
    ['a birthDate that is no date', { fullName: 'A', birthDate: '1984-02-30' }, 'birthDate'],
    ['a birthDate with a time', { fullName: 'A', birthDate: '1984-02-03T00:00:00Z' }, 'birthDate'],
    ['a lower-case citizenship', { fullName: 'A', citizenships: ['by'] }, 'citizenships'],
    ['an unknown country', { fullName: 'A', citizenships: ['XX'] }, 'citizenships'],
    ['six citizenships', { fullName: 'A', citizenships: ['BY', 'LT', 'PL', 'DE', 'FR', 'UA'] }, 'citizenships'],
    ['a foreignNational that is a string', { fullName: 'A', foreignNational: 'true' }, 'foreignNational'],
    ['a long occupation', { fullName: 'A', occupation: 'o'.repeat(101) }, 'occupation'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const response = await post('/v1/people', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('never echoes a value, in the answer or the logs', async () => {
    const secret = 'SECRET-NAME-'.repeat(20);
    const response = await post('/v1/people', { fullName: secret, aliases: ['SECRET-ALIAS', 7] });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('SECRET');
    expect(gateway.logs.join('\n')).not.toContain('SECRET');
  });

  it('logs one line per request without the body or any personal field', async () => {
    await post(
      '/v1/people',
      { fullName: 'SECRET-NAME', aliases: ['SECRET-ALIAS'], birthDate: '1984-03-02' },
      { 'x-correlation-id': 'corr-log' },
    );
    const lines = gateway.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['msg'] === 'request');
    expect(lines).toEqual([
      expect.objectContaining({
        method: 'POST',
        route: '/v1/people',
        status: 201,
        correlationId: 'corr-log',
        durationMs: expect.any(Number),
      }),
    ]);
    expect(gateway.logs.join('\n')).not.toMatch(/SECRET|1984-03-02|Bearer/);
  });

  it('refuses malformed JSON with 400, without quoting it', async () => {
    const response = await post('/v1/people', '{"fullName": "SECRET-NAME",', { 'content-type': 'application/json' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      type: problemType('validation-failed'),
      detail: 'The request body is not valid JSON',
      instance: '/v1/people',
    });
    expect(response.body).not.toContain('SECRET');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('refuses a %s body with 400: JSON only', async (contentType) => {
    const response = await post('/v1/people', 'fullName=A', { 'content-type': contentType });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: problemType('validation-failed'), detail: 'The request body must be application/json' });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('refuses a body over 1 MiB with 413 payload-too-large', async () => {
    const response = await post('/v1/people', { fullName: 'A', occupation: 'x'.repeat(1024 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: problemType('payload-too-large'), status: 413 });
  });

  it('refuses a bad Idempotency-Key with 400', async () => {
    const response = await post('/v1/people', registration, { 'idempotency-key': 'k'.repeat(201) });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });
});

describe('POST /v1/people/:personId/release', () => {
  const url = `/v1/people/${personId}/release`;

  it('records: 201, with the path id, If-Match as expectedVersion and the actor', async () => {
    const response = await post(url, release, { 'if-match': '"7"', 'idempotency-key': 'rel-1' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: personId, streamVersion: 2, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(gateway.intake.calls[0]).toMatchObject({
      method: 'recordRelease',
      request: {
        personId,
        releasedAt: '2025-09-11T14:00:00Z',
        mechanism: 'brokered',
        batchId: 'batch-2025.09_1',
        daysOfSentenceRemaining: 400,
        metadata: { actor: 'clerk-7', idempotencyKey: 'rel-1', expectedVersion: 7 },
      },
    });
  });

  it('accepts an unquoted If-Match and 0', async () => {
    await post(url, release, { 'if-match': '0' });
    expect(gateway.intake.calls[0]).toMatchObject({ request: { metadata: { expectedVersion: 0 } } });
  });

  it.each(['abc', '-1', '1.5', 'W/"3"', '*', '"3', '99999999999'])('refuses If-Match %s with 400', async (value) => {
    const response = await post(url, release, { 'if-match': value });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      type: problemType('validation-failed'),
      errors: [expect.objectContaining({ field: 'If-Match' })],
    });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('refuses a personId that is not a UUID with 400', async () => {
    const response = await post('/v1/people/not-a-uuid/release', release);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'personId' })]);
  });

  it.each([
    ['a date without a time', { ...release, releasedAt: '2025-09-11' }, 'releasedAt'],
    ['a time without a zone', { ...release, releasedAt: '2025-09-11T14:00:00' }, 'releasedAt'],
    ['an unknown mechanism', { ...release, mechanism: 'escape' }, 'mechanism'],
    ['a batchId with a space', { ...release, batchId: 'batch 1' }, 'batchId'],
    ['a batchId over 64', { ...release, batchId: 'b'.repeat(65) }, 'batchId'],
    ['negative days', { ...release, daysOfSentenceRemaining: -1 }, 'daysOfSentenceRemaining'],
    ['fractional days', { ...release, daysOfSentenceRemaining: 1.5 }, 'daysOfSentenceRemaining'],
    ['over 100 years', { ...release, daysOfSentenceRemaining: 36_501 }, 'daysOfSentenceRemaining'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const response = await post(url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('maps a refused rule (FAILED_PRECONDITION + kind) to 422 rule-violated with the stable code', async () => {
    gateway.intake.answers.recordRelease = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'A person must be imprisoned to be released', {
        kind: 'rule-violated',
        code: 'person.not-imprisoned',
      });
    const response = await post(url, release);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: problemType('rule-violated'),
      title: 'A business rule forbids this',
      status: 422,
      detail: 'A person must be imprisoned to be released',
      instance: url,
      code: 'person.not-imprisoned',
    });
  });

  it('maps ABORTED + version-conflict to 409', async () => {
    gateway.intake.answers.recordRelease = () =>
      grpcFailure(status.ABORTED, 'Expected version 7, the stream is at 8', { kind: 'version-conflict', code: 'stream.version-conflict' });
    const response = await post(url, release, { 'if-match': '7' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: problemType('version-conflict'), code: 'stream.version-conflict' });
  });

  it('maps NOT_FOUND + not-found to 404 and ALREADY_EXISTS + idempotency-key-reused to 422', async () => {
    gateway.intake.answers.recordRelease = () =>
      grpcFailure(status.NOT_FOUND, 'No such person', { kind: 'not-found', code: 'person.not-found' });
    expect((await post(url, release)).json()).toMatchObject({ status: 404, type: problemType('not-found') });
    gateway.intake.answers.recordRelease = () =>
      grpcFailure(status.ALREADY_EXISTS, 'Key reused', { kind: 'idempotency-key-reused', code: 'idempotency.key-reused' });
    expect((await post(url, release)).json()).toMatchObject({ status: 422, type: problemType('idempotency-key-reused') });
  });

  it.each([
    [status.UNAVAILABLE, 'connect ECONNREFUSED'],
    [status.DEADLINE_EXCEEDED, 'Deadline exceeded after 5.001s'],
  ])('maps gRPC %s without a kind to 503 unavailable', async (code, details) => {
    gateway.intake.answers.recordRelease = () => grpcFailure(code, details);
    const response = await post(url, release);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ type: problemType('unavailable'), status: 503 });
    expect(response.body).not.toContain(details);
  });

  it('answers 500 without the service message or a stack for a gRPC error without a kind, or an internal one', async () => {
    gateway.intake.answers.recordRelease = () => grpcFailure(status.INTERNAL, 'TypeError at store.ts:42 SECRET');
    let response = await post(url, release);
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      type: problemType('internal'),
      title: 'Internal error',
      status: 500,
      detail: 'Internal error',
      instance: url,
    });
    gateway.intake.answers.recordRelease = () => grpcFailure(status.INTERNAL, 'SECRET', { kind: 'internal' });
    response = await post(url, release);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('SECRET');
  });

  it('answers 500 without detail when the gateway itself fails, and logs the error class only', async () => {
    gateway.intake.answers.recordRelease = () => {
      throw new TypeError('Cannot read SECRET of undefined');
    };
    const response = await post(url, release, { 'x-correlation-id': 'corr-500' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/SECRET|TypeError|at /);
    const logged = gateway.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line['msg'] === 'unexpected error');
    expect(logged).toMatchObject({ correlationId: 'corr-500', err: { type: 'TypeError' } });
    expect(gateway.logs.join('\n')).not.toContain('SECRET');
  });
});

describe('POST /v1/people/:personId/deportation', () => {
  const url = `/v1/people/${personId}/deportation`;

  it('records: 201 with the fields sent to intake', async () => {
    const response = await post(url, deportation);
    expect(response.statusCode).toBe(201);
    expect(gateway.intake.calls[0]).toMatchObject({
      method: 'recordDeportation',
      request: {
        personId,
        deportedAt: '2025-09-11T16:30:00+03:00',
        fromCountry: 'BY',
        toCountry: 'LT',
        borderCrossing: 'Kamenny Log',
        consented: false,
      },
    });
  });

  it.each([
    ['a missing consent', { ...deportation, consented: undefined }, 'consented'],
    ['a lower-case country', { ...deportation, toCountry: 'lt' }, 'toCountry'],
    ['an alpha-3 country', { ...deportation, fromCountry: 'BLR' }, 'fromCountry'],
    ['a bad date-time', { ...deportation, deportedAt: 'yesterday' }, 'deportedAt'],
    ['a long border crossing', { ...deportation, borderCrossing: 'b'.repeat(101) }, 'borderCrossing'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const response = await post(url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('is for intake and admin only', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url,
      payload: deportation,
      headers: { authorization: `Bearer ${await gateway.token(['documents'])}` },
    });
    expect(response.statusCode).toBe(403);
    const admin = await gateway.app.inject({
      method: 'POST',
      url,
      payload: deportation,
      headers: { authorization: `Bearer ${await gateway.token(['admin'])}` },
    });
    expect(admin.statusCode).toBe(201);
  });
});

interface CommandRoute {
  path: string;
  method: keyof intake.IntakeServiceClient;
  body: object;
  sent: object;
  invalid: Array<[string, object, string]>;
}

describe('the other person commands', () => {
  const routes: CommandRoute[] = [
    {
      path: 'imprisonment',
      method: 'recordImprisonment',
      body: { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', facility: 'IK-15' },
      sent: { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', expectedRelease: '', facility: 'IK-15' },
      invalid: [
        ['a sentence of 0 months', { sentenceMonths: 0 }, 'sentenceMonths'],
        ['a sentence in text', { sentenceMonths: '36' }, 'sentenceMonths'],
        ['a start that is no date', { sentenceStart: '2022-02-30' }, 'sentenceStart'],
        ['an expected release with a time', { expectedRelease: '2025-12-01T00:00:00Z' }, 'expectedRelease'],
        ['an empty charge', { charges: [''] }, 'charges'],
        ['21 charges', { charges: Array.from({ length: 21 }, (_, i) => `c${i}`) }, 'charges'],
      ],
    },
    {
      path: 'detention-conditions',
      method: 'reportDetentionCondition',
      body: { kind: 'solitary-confinement', periodFrom: '2024-01-01', account: 'Invented account' },
      sent: { kind: 'solitary-confinement', periodFrom: '2024-01-01', periodTo: '', account: 'Invented account' },
      invalid: [
        ['an unknown kind', { kind: 'bad-food' }, 'kind'],
        ['a missing kind', { periodFrom: '2024-01-01' }, 'kind'],
        ['a period end that is no date', { kind: 'ill-treatment', periodTo: 'soon' }, 'periodTo'],
        ['an account over 10,000 characters', { kind: 'ill-treatment', account: 'a'.repeat(10_001) }, 'account'],
      ],
    },
    {
      path: 'return-attempts',
      method: 'recordReturnAttempt',
      body: { attemptedAt: '2025-09-12T09:00:00Z', outcome: 'refused' },
      sent: { attemptedAt: '2025-09-12T09:00:00Z', borderCrossing: '', outcome: 'refused' },
      invalid: [
        ['an unknown outcome', { attemptedAt: '2025-09-12T09:00:00Z', outcome: 'maybe' }, 'outcome'],
        ['a date without a time', { attemptedAt: '2025-09-12', outcome: 'crossed' }, 'attemptedAt'],
      ],
    },
    {
      path: 'contact-lost',
      method: 'recordContactLost',
      body: { lastContactAt: '2025-09-13T08:00:00Z', reportedBy: 'family' },
      sent: { lastContactAt: '2025-09-13T08:00:00Z', reportedBy: 'family' },
      invalid: [
        ['a name as reporter', { lastContactAt: '2025-09-13T08:00:00Z', reportedBy: 'Aunt Invented' }, 'reportedBy'],
        ['a missing last contact', { reportedBy: 'family' }, 'lastContactAt'],
      ],
    },
    {
      path: 'contact-reestablished',
      method: 'recordContactReestablished',
      body: { contactAt: '2025-09-20T10:00:00Z', reportedBy: 'lawyer' },
      sent: { contactAt: '2025-09-20T10:00:00Z', reportedBy: 'lawyer' },
      invalid: [
        ['a missing reporter', { contactAt: '2025-09-20T10:00:00Z' }, 'reportedBy'],
        ['a bad date-time', { contactAt: 'yesterday', reportedBy: 'lawyer' }, 'contactAt'],
      ],
    },
    {
      path: 'rearrest',
      method: 'reportRearrest',
      body: { reportedAt: '2025-09-25T12:00:00Z' },
      sent: { reportedAt: '2025-09-25T12:00:00Z', place: '' },
      invalid: [
        ['a missing date', { place: 'Minsk' }, 'reportedAt'],
        ['a place over 200 characters', { reportedAt: '2025-09-25T12:00:00Z', place: 'p'.repeat(201) }, 'place'],
      ],
    },
  ];

  describe.each(routes)('POST /v1/people/:personId/$path', ({ path, method, body, sent, invalid }) => {
    const url = `/v1/people/${personId}/${path}`;

    it('records: 201, sending the path id, the fields with defaults, and the metadata', async () => {
      const response = await post(url, body, { 'if-match': '"4"', 'idempotency-key': `${path}-1` });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ id: personId, eventIds: [expect.any(String)] });
      expect(gateway.intake.calls).toHaveLength(1);
      expect(gateway.intake.calls[0]).toMatchObject({
        method,
        request: { personId, ...sent, metadata: { actor: 'clerk-7', idempotencyKey: `${path}-1`, expectedVersion: 4 } },
      });
      expect(Object.keys(gateway.intake.calls[0]!.request as object).sort()).toEqual(['metadata', 'personId', ...Object.keys(sent)].sort());
    });

    it.each(invalid)('refuses %s with 400 naming the field, sending nothing', async (_case, invalidBody, field) => {
      const response = await post(url, invalidBody);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(response.body).not.toMatch(/Invented|Aunt/);
      expect(gateway.intake.calls).toHaveLength(0);
    });

    it('refuses an unknown field and a personId that is no UUID', async () => {
      expect((await post(url, { ...body, note: 'x' })).json()).toMatchObject({
        status: 400,
        errors: [expect.objectContaining({ field: 'note' })],
      });
      expect((await post(`/v1/people/42/${path}`, body)).json()).toMatchObject({
        status: 400,
        errors: [expect.objectContaining({ field: 'personId' })],
      });
    });

    it("maps intake's refusal to 422 with its code", async () => {
      (gateway.intake.answers as Record<string, unknown>)[method] = () =>
        grpcFailure(status.FAILED_PRECONDITION, 'register the person first', { kind: 'rule-violated', code: 'person.not-registered' });
      expect((await post(url, body)).json()).toMatchObject({ status: 422, code: 'person.not-registered' });
    });

    it('is for intake and admin only', async () => {
      for (const [role, expected] of [
        ['admin', 201],
        ['legal', 403],
        ['documents', 403],
        ['auditor', 403],
      ] as const) {
        const response = await gateway.app.inject({
          method: 'POST',
          url,
          payload: body,
          headers: { authorization: `Bearer ${await gateway.token([role])}` },
        });
        expect({ role, status: response.statusCode }).toEqual({ role, status: expected });
      }
    });
  });

  it('sends the optional batch of a registration', async () => {
    await post('/v1/people', { fullName: 'Test Person', batchId: 'batch-2025-09-11' });
    expect(gateway.intake.calls[0]).toMatchObject({ method: 'registerPerson', request: { batchId: 'batch-2025-09-11' } });
    expect((await post('/v1/people', { fullName: 'Test Person', batchId: 'batch 1' })).json()).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'batchId' })],
    });
  });
});

describe('DELETE /v1/people/:personId (erasure)', () => {
  const url = `/v1/people/${personId}`;
  const erase = async (roles: Parameters<Harness['token']>[0], headers: Record<string, string> = {}) =>
    gateway.app.inject({
      method: 'DELETE',
      url,
      headers: { authorization: `Bearer ${await gateway.token(roles, { sub: 'admin-1' })}`, ...headers },
    });

  it('erases for an admin: 200, the result, and only the person id and metadata sent to intake', async () => {
    const response = await erase(['admin'], { 'idempotency-key': 'erase-1', 'if-match': '7' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: personId, streamVersion: 8, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(gateway.intake.calls).toHaveLength(1);
    expect(gateway.intake.calls[0]!.method).toBe('forgetPerson');
    expect(gateway.intake.calls[0]!.request).toMatchObject({
      personId,
      metadata: { actor: 'admin-1', idempotencyKey: 'erase-1', expectedVersion: 7 },
    });
  });

  it('refuses every other role with 403 before intake is called', async () => {
    expect((await erase(['intake'])).statusCode).toBe(403);
    expect((await erase(['operator', 'auditor'])).statusCode).toBe(403);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('answers 422 person.forgotten for a person already erased', async () => {
    gateway.intake.answers.forgetPerson = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'this person has been erased', { kind: 'rule-violated', code: 'person.forgotten' });
    const response = await erase(['admin']);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ type: problemType('rule-violated'), code: 'person.forgotten' });
  });

  it('refuses a person id that is not a UUID with 400', async () => {
    const response = await gateway.app.inject({
      method: 'DELETE',
      url: '/v1/people/not-a-uuid',
      headers: { authorization: `Bearer ${await gateway.token(['admin'])}` },
    });
    expect(response.statusCode).toBe(400);
  });
});
