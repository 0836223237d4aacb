import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { of } from 'rxjs';
import { personId, personSummary, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = async (url: string, roles: Parameters<Harness['token']>[0] = ['intake']) =>
  gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await gateway.token(roles)}` } });

describe('GET /v1/people', () => {
  it('lists a page: the filters and the page size go to intake, the summaries come back', async () => {
    gateway.intake.answers.listPeople = () =>
      of({ items: [personSummary(), personSummary({ personId: 'p2', batchId: '' })], nextCursor: 'next-page' });
    const response = await get('/v1/people?status=in-exile&batchId=batch-2025-09-11&limit=2&cursor=abc');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          personId,
          fullName: 'Test Person',
          status: 'in-exile',
          batchId: 'batch-1',
          streamVersion: 3,
          updatedAt: '2025-09-11T16:30:00Z',
          forgotten: false,
        },
        {
          personId: 'p2',
          fullName: 'Test Person',
          status: 'in-exile',
          batchId: null,
          streamVersion: 3,
          updatedAt: '2025-09-11T16:30:00Z',
          forgotten: false,
        },
      ],
      nextCursor: 'next-page',
    });
    expect(gateway.intake.calls.map((call) => [call.method, call.request])).toEqual([
      ['listPeople', { status: 'in-exile', batchId: 'batch-2025-09-11', limit: 2, cursor: 'abc' }],
    ]);
  });

  it('sends empty filters and a page of 50 by default; the last page has a null cursor', async () => {
    const response = await get('/v1/people');
    expect(response.json()).toMatchObject({ nextCursor: null });
    expect(gateway.intake.calls[0]!.request).toEqual({ status: '', batchId: '', limit: 50, cursor: '' });
  });

  it('passes on no personal field but the name, even if intake sent more', async () => {
    gateway.intake.answers.listPeople = () =>
      of({ items: [{ ...personSummary(), birthDate: '1980-01-01', aliases: ['x'] } as never], nextCursor: '' });
    expect(Object.keys((await get('/v1/people')).json().items[0]).sort()).toEqual([
      'batchId',
      'forgotten',
      'fullName',
      'personId',
      'status',
      'streamVersion',
      'updatedAt',
    ]);
  });

  it.each([
    ['status=free', 'status'],
    ['status=unregistered', 'status'],
    ['batchId=a%20b', 'batchId'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    [`cursor=${'c'.repeat(501)}`, 'cursor'],
    ['name=Test', 'name'],
  ])('refuses ?%s with 400 naming %s', async (query, field) => {
    const response = await get(`/v1/people?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it.each([
    [['intake'], 200],
    [['legal'], 200],
    [['documents'], 200],
    [['notifications'], 200],
    [['admin'], 200],
    [['auditor'], 403],
    [['operator'], 403],
  ] as const)('answers %j with %i', async (roles, expected) => {
    expect((await get('/v1/people', [...roles])).statusCode).toBe(expected);
  });
});
