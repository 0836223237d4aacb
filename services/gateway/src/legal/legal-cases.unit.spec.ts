import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { of } from 'rxjs';
import { grpcFailure, legalCase, personId, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let token: string;
beforeAll(async () => {
  gateway = await startGateway();
  token = await gateway.token(['legal']);
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string, bearer = token) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

describe('GET /v1/legal/cases', () => {
  it('passes the filters and answers { items, nextCursor }', async () => {
    gateway.legal.answers.listCases = () => of({ items: [legalCase()], nextCursor: 'c2' });
    const response = await get(`/v1/legal/cases?personId=${personId}&provision=ICCPR-12.4&limit=10&cursor=c1`);
    expect(response.statusCode).toBe(200);
    expect(gateway.legal.calls[0]!.request).toEqual({ personId, provision: 'ICCPR-12.4', limit: 10, cursor: 'c1' });
    expect(response.json()).toEqual({ items: [expect.objectContaining({ caseId: 'case-1', personId })], nextCursor: 'c2' });
  });

  it('asks for 50 by default and answers nextCursor: null on the last page', async () => {
    const response = await get('/v1/legal/cases');
    expect(gateway.legal.calls[0]!.request).toEqual({ personId: '', provision: '', limit: 50, cursor: '' });
    expect(response.json().nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['personId=42', 'personId'],
    ['provision=a%20b', 'provision'],
    ['sort=name', 'sort'],
  ])('refuses ?%s with 400', async (query, field) => {
    const response = await get(`/v1/legal/cases?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('is for legal and admin only', async () => {
    expect((await get('/v1/legal/cases', await gateway.token(['intake']))).statusCode).toBe(403);
    expect((await get('/v1/legal/cases', await gateway.token(['admin']))).statusCode).toBe(200);
  });

  it('answers 503 when legal does not answer', async () => {
    gateway.legal.answers.listCases = () => grpcFailure(status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    expect((await get('/v1/legal/cases')).json()).toMatchObject({ status: 503, type: 'https://homeward.example/problems/unavailable' });
  });
});
