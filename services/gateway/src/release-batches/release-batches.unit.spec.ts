import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { of } from 'rxjs';
import { commandResult, grpcFailure, releaseBatch, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const as = async (roles: Parameters<Harness['token']>[0]) => ({
  authorization: `Bearer ${await gateway.token(roles, { sub: 'clerk-9' })}`,
});
const announcement = {
  batchId: 'batch-2025-09-11',
  date: '2025-09-11',
  announcedCount: 52,
  brokeredBy: 'United States',
  conditions: 'driven to Lithuania',
};

describe('POST /v1/release-batches', () => {
  const post = async (payload: object, headers: Record<string, string> = {}, roles: Parameters<Harness['token']>[0] = ['intake']) =>
    gateway.app.inject({ method: 'POST', url: '/v1/release-batches', payload, headers: { ...(await as(roles)), ...headers } });

  it('announces: 201, a Location, and the announcement sent to intake', async () => {
    const response = await post(announcement, { 'idempotency-key': 'announce-1' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['location']).toBe('/v1/release-batches/batch-2025-09-11');
    expect(response.json()).toMatchObject({ id: 'batch-2025-09-11', streamVersion: 1 });
    expect(gateway.intake.calls[0]).toMatchObject({
      method: 'announceReleaseBatch',
      request: { ...announcement, metadata: { actor: 'clerk-9', idempotencyKey: 'announce-1' } },
    });
  });

  it('sends empty strings for what is left out, and answers 200 to a repeated request', async () => {
    gateway.intake.answers.announceReleaseBatch = () => of({ ...commandResult('batch-x'), repeatedRequest: true });
    const response = await post({ batchId: 'batch-x', date: '2025-09-11', announcedCount: 0 });
    expect(response.statusCode).toBe(200);
    expect(gateway.intake.calls[0]!.request).toMatchObject({ brokeredBy: '', conditions: '' });
  });

  it.each([
    ['a batch id with a space', { ...announcement, batchId: 'batch 1' }, 'batchId'],
    ['a batch id over 64 characters', { ...announcement, batchId: 'b'.repeat(65) }, 'batchId'],
    ['a date with a time', { ...announcement, date: '2025-09-11T00:00:00Z' }, 'date'],
    ['a negative count', { ...announcement, announcedCount: -1 }, 'announcedCount'],
    ['a count in text', { ...announcement, announcedCount: '52' }, 'announcedCount'],
    ['a missing count', { batchId: 'b', date: '2025-09-11' }, 'announcedCount'],
    ['an unknown field', { ...announcement, secret: 'x' }, 'secret'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('maps a second announcement to 422 release-batch.already-announced', async () => {
    gateway.intake.answers.announceReleaseBatch = () =>
      grpcFailure(status.FAILED_PRECONDITION, 'this release batch is already announced', {
        kind: 'rule-violated',
        code: 'release-batch.already-announced',
      });
    expect((await post(announcement)).json()).toMatchObject({ status: 422, code: 'release-batch.already-announced' });
  });

  it('is for intake and admin only', async () => {
    expect((await post(announcement, {}, ['admin'])).statusCode).toBe(201);
    expect((await post(announcement, {}, ['legal'])).statusCode).toBe(403);
    expect((await post(announcement, {}, ['notifications'])).statusCode).toBe(403);
  });
});

describe('GET /v1/release-batches/:batchId', () => {
  const get = async (url: string, roles: Parameters<Harness['token']>[0] = ['legal']) =>
    gateway.app.inject({ method: 'GET', url, headers: await as(roles) });

  it('answers the announcement and the counts', async () => {
    const response = await get('/v1/release-batches/batch-2025-09-11');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      batchId: 'batch-2025-09-11',
      announcement: {
        date: '2025-09-11',
        announcedCount: 52,
        brokeredBy: 'United States',
        conditions: null,
        announcedAt: '2025-09-11T07:00:00Z',
      },
      counts: { announced: 52, registered: 40, released: 38, deported: 38, foreignNationals: 14, nearEndOfSentence: 20, contactLost: 1 },
    });
    expect(gateway.intake.calls.map((call) => [call.method, call.request])).toEqual([['getReleaseBatch', { batchId: 'batch-2025-09-11' }]]);
  });

  it('answers announcement: null for a batch only releases name', async () => {
    gateway.intake.answers.getReleaseBatch = (request) => of(releaseBatch(request.batchId, { announcement: undefined }));
    expect((await get('/v1/release-batches/batch-x')).json()).toMatchObject({
      batchId: 'batch-x',
      announcement: null,
      counts: { announced: 52 },
    });
  });

  it('maps not-found to 404 and refuses a batch id that is not one', async () => {
    gateway.intake.answers.getReleaseBatch = () =>
      grpcFailure(status.NOT_FOUND, 'no such batch', { kind: 'not-found', code: 'release-batch.not-found' });
    expect((await get('/v1/release-batches/batch-none')).json()).toMatchObject({ status: 404, code: 'release-batch.not-found' });
    gateway.reset();
    const bad = await get('/v1/release-batches/batch%20one');
    expect(bad.json()).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'batchId' })] });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it.each([
    [['intake'], 200],
    [['legal'], 200],
    [['documents'], 200],
    [['notifications'], 200],
    [['admin'], 200],
    [['auditor'], 403],
  ] as const)('answers %j with %i', async (roles, expected) => {
    expect((await get('/v1/release-batches/batch-1', [...roles])).statusCode).toBe(expected);
  });
});
