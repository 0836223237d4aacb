import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { of } from 'rxjs';
import { caseId, patternIndicator, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let token: string;
beforeAll(async () => {
  gateway = await startGateway();
  token = await gateway.token(['legal']);
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string, bearer = token) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

describe('GET /v1/legal/patterns', () => {
  it('passes the filters and answers the indicators, with the count by now beside the count when raised', async () => {
    gateway.legal.answers.listPatterns = () => of({ items: [patternIndicator()], nextCursor: 'p2' });
    const response = await get('/v1/legal/patterns?batchId=batch-1&practice=deportation-without-consent&limit=5&cursor=p1');
    expect(response.statusCode).toBe(200);
    expect(gateway.legal.calls[0]!.request).toEqual({
      batchId: 'batch-1',
      practice: 'deportation-without-consent',
      limit: 5,
      cursor: 'p1',
    });
    expect(response.json()).toEqual({
      items: [
        {
          patternId: '01936b2e-7a4c-5d1e-9f3a-2b8c4d5e6f82',
          batchId: 'batch-1',
          periodFrom: null,
          periodTo: null,
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
        },
      ],
      nextCursor: 'p2',
    });
  });

  it('answers a pattern across a release period with its days and no batch', async () => {
    const period = {
      ...patternIndicator(),
      batchId: '',
      periodFrom: '2025-09-09',
      periodTo: '2025-10-08',
      raisedBy: 'rule:period-pattern',
    };
    gateway.legal.answers.listPatterns = () => of({ items: [period], nextCursor: '' });
    const response = await get('/v1/legal/patterns');
    expect(response.json().items[0]).toMatchObject({
      batchId: '',
      periodFrom: '2025-09-09',
      periodTo: '2025-10-08',
      raisedBy: 'rule:period-pattern',
    });
  });

  it('asks for everything, 50 at a time, by default', async () => {
    gateway.legal.answers.listPatterns = () => of({ items: [], nextCursor: '' });
    const response = await get('/v1/legal/patterns');
    expect(gateway.legal.calls[0]!.request).toEqual({ batchId: '', practice: '', limit: 50, cursor: '' });
    expect(response.json()).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['practice=exile', 'practice'],
    ['batchId=batch%201', 'batchId'],
    ['limit=0', 'limit'],
    ['since=2025', 'since'],
  ])('refuses ?%s with 400', async (query, field) => {
    const response = await get(`/v1/legal/patterns?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('is for legal and admin only', async () => {
    expect((await get('/v1/legal/patterns', await gateway.token(['auditor']))).statusCode).toBe(403);
    expect((await get('/v1/legal/patterns', await gateway.token(['admin']))).statusCode).toBe(200);
  });
});
