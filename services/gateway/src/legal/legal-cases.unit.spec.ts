import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { of } from 'rxjs';
import { caseId, grpcFailure, legalCase, personId, startGateway, violationId, type Harness } from '../testing/gateway-harness.js';

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
  it('passes the filters and answers { items, nextCursor } with whole cases', async () => {
    gateway.legal.answers.listCases = () => of({ items: [legalCase(caseId)], nextCursor: 'c2' });
    const response = await get(`/v1/legal/cases?personId=${personId}&provision=${encodeURIComponent('ICCPR 12(4)')}&limit=10&cursor=c1`);
    expect(response.statusCode).toBe(200);
    expect(gateway.legal.calls[0]!.request).toEqual({ personId, provision: 'ICCPR 12(4)', limit: 10, cursor: 'c1' });
    expect(response.json()).toEqual({
      items: [
        expect.objectContaining({
          caseId,
          personId,
          streamVersion: 2,
          provisions: ['ICCPR 12(4)'],
          violations: [expect.objectContaining({ violationId })],
        }),
      ],
      nextCursor: 'c2',
    });
  });

  it('takes citations with spaces and parentheses, like the Rome Statute and the 1961 Convention', async () => {
    for (const provision of ['Rome Statute 7(1)(d)', '1961 Convention on the Reduction of Statelessness']) {
      expect((await get(`/v1/legal/cases?provision=${encodeURIComponent(provision)}`)).statusCode).toBe(200);
    }
    expect(gateway.legal.calls.map((call) => (call.request as { provision: string }).provision)).toEqual([
      'Rome Statute 7(1)(d)',
      '1961 Convention on the Reduction of Statelessness',
    ]);
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
    ['provision=%3Cscript%3E', 'provision'],
    [`provision=${'x'.repeat(201)}`, 'provision'],
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

describe('GET /v1/legal/cases/:caseId', () => {
  it('answers the whole case, empty values as null', async () => {
    const response = await get(`/v1/legal/cases/${caseId}`);
    expect(response.statusCode).toBe(200);
    expect(gateway.legal.calls.map((call) => [call.method, call.request])).toEqual([['getCase', { caseId }]]);
    expect(response.json()).toEqual({
      caseId,
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
          decidedBy: null,
          decidedAt: null,
          reasoning: null,
        },
      ],
      evidence: [],
      submissions: [],
    });
  });

  it('shows evidence and submissions with their history', async () => {
    gateway.legal.answers.getCase = () =>
      of({
        ...legalCase(caseId),
        evidence: [
          {
            evidenceId: 'ev-1',
            kind: 'photo',
            source: 'family',
            sha256: 'a'.repeat(64),
            description: 'd',
            violationIds: [violationId],
            attachedBy: 'advisor:u',
            attachedAt: 't1',
          },
        ],
        submissions: [
          {
            submissionId: 's-1',
            forum: 'un-wgad',
            violationIds: [violationId],
            status: 'filed',
            reference: '',
            filedBy: 'advisor:u',
            filedAt: 't1',
            updatedAt: 't2',
            history: [
              { status: 'drafted', changedBy: 'advisor:u', changedAt: 't1', note: '' },
              { status: 'filed', changedBy: 'advisor:u', changedAt: 't2', note: 'by post' },
            ],
          },
        ],
      });
    const body = (await get(`/v1/legal/cases/${caseId}`)).json();
    expect(body.evidence).toEqual([expect.objectContaining({ evidenceId: 'ev-1', sha256: 'a'.repeat(64), violationIds: [violationId] })]);
    expect(body.submissions).toEqual([
      expect.objectContaining({
        forum: 'un-wgad',
        status: 'filed',
        reference: null,
        history: [
          { status: 'drafted', changedBy: 'advisor:u', changedAt: 't1', note: null },
          { status: 'filed', changedBy: 'advisor:u', changedAt: 't2', note: 'by post' },
        ],
      }),
    ]);
  });

  it('answers 404 with the service’s code for an unknown case', async () => {
    gateway.legal.answers.getCase = () =>
      grpcFailure(status.NOT_FOUND, 'there is no legal case with this id', { kind: 'not-found', code: 'case.not-found' });
    expect((await get(`/v1/legal/cases/${caseId}`)).json()).toMatchObject({ status: 404, code: 'case.not-found' });
  });

  it('refuses a case id that is not a UUID, without calling legal', async () => {
    const response = await get('/v1/legal/cases/case-1');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'caseId' })]);
    expect(gateway.legal.calls).toHaveLength(0);
  });

  it('is for legal and admin only', async () => {
    expect((await get(`/v1/legal/cases/${caseId}`, await gateway.token(['documents']))).statusCode).toBe(403);
    expect((await get(`/v1/legal/cases/${caseId}`, await gateway.token(['admin']))).statusCode).toBe(200);
  });
});
