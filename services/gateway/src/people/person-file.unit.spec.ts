import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { of } from 'rxjs';
import { grpcFailure, legalCase, personFile, personId, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let token: string;
beforeAll(async () => {
  gateway = await startGateway();
  // Admin sees the whole file; what each other role sees is field-views.unit.spec.ts's matter.
  token = await gateway.token(['admin']);
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('GET /v1/people/:personId', () => {
  it("composes the file: intake's person, the documents status, the legal cases with their flags, the notification state", async () => {
    gateway.legal.answers.listCases = () =>
      of({ items: [legalCase('case-1'), { ...legalCase('case-2'), deportation: undefined }], nextCursor: '' });
    const response = await get(`/v1/people/${personId}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      personId,
      streamVersion: 3,
      status: 'in-exile',
      fullName: 'Test Person',
      aliases: [],
      birthDate: null,
      citizenships: ['BY'],
      foreignNational: false,
      occupation: 'journalist',
      batchId: 'batch-1',
      imprisonment: null,
      detentionConditions: [],
      release: { releasedAt: '2025-09-11T14:00:00Z', mechanism: 'brokered', batchId: 'batch-1', daysOfSentenceRemaining: 400 },
      deportation: { deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: null, consented: false },
      returnAttempts: [],
      contact: null,
      rearrest: null,
      timeline: [{ eventId: 'e1', type: 'PersonRegistered', streamVersion: 1, occurredAt: '2025-01-01T00:00:00Z', summary: 'registered' }],
      registeredAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-09-11T16:30:00Z',
      documents: { personId, status: 'at-risk-of-statelessness', streamVersion: 2 },
      legal: {
        cases: [
          expect.objectContaining({
            caseId: 'case-1',
            personId,
            deportation: { deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', consented: false, sourceEventId: 'e3' },
            violations: expect.any(Array),
          }),
          expect.objectContaining({ caseId: 'case-2', personId, deportation: null }),
        ],
      },
      notifications: { deliveries: [expect.objectContaining({ personId })], welfareChecks: [expect.objectContaining({ personId })] },
    });
    expect(body).not.toHaveProperty('partial');
    expect(JSON.stringify(body.notifications)).not.toMatch(/@|https?:/);
    expect(gateway.intake.calls.map((call) => call.request)).toEqual([{ personId, minVersion: undefined }]);
    expect(gateway.legal.calls.map((call) => call.request)).toEqual([{ personId, provision: '', limit: 100, cursor: '' }]);
    expect(gateway.identityDocuments.calls.map((call) => call.request)).toEqual([{ personId }]);
  });

  it('shows documents: null, and no partial, when no papers are recorded for the person', async () => {
    gateway.identityDocuments.answers.getDocuments = () =>
      grpcFailure(status.NOT_FOUND, 'No documents', { kind: 'not-found', code: 'documents.not-found' });
    const response = await get(`/v1/people/${personId}`);
    expect(response.json()).toMatchObject({ documents: null });
    expect(response.json()).not.toHaveProperty('partial');
  });

  it('names every section that failed in partial', async () => {
    gateway.identityDocuments.answers.getDocuments = () => grpcFailure(status.UNAVAILABLE, 'down');
    gateway.notifications.answers.listWelfareChecks = () => grpcFailure(status.DEADLINE_EXCEEDED, 'slow');
    const response = await get(`/v1/people/${personId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ documents: null, notifications: null, partial: ['documents', 'notifications'] });
  });

  it("shows intake's sections: imprisonment, conditions, return attempts, contact and re-arrest, with empty values as null", async () => {
    gateway.intake.answers.getPerson = () =>
      of(
        personFile({
          status: 're-arrested',
          imprisonment: { charges: ['art-342'], sentenceMonths: 0, sentenceStart: '2022-12-01', expectedRelease: '', facility: '' },
          detentionConditions: [
            {
              kind: 'solitary-confinement',
              periodFrom: '2024-01-01',
              periodTo: '',
              account: 'Invented account',
              reportedAt: '2025-09-12T00:00:00Z',
              eventId: 'e4',
            },
          ],
          returnAttempts: [{ attemptedAt: '2025-09-12T09:00:00Z', borderCrossing: '', outcome: 'refused' }],
          contact: { lost: true, lastContactAt: '2025-09-13T08:00:00Z', reportedBy: 'family', changedAt: '2025-09-13T09:00:00Z' },
          rearrest: { reportedAt: '2025-09-25T12:00:00Z', place: '' },
        }),
      );
    expect((await get(`/v1/people/${personId}`)).json()).toMatchObject({
      status: 're-arrested',
      imprisonment: { charges: ['art-342'], sentenceMonths: null, sentenceStart: '2022-12-01', expectedRelease: null, facility: null },
      detentionConditions: [
        {
          kind: 'solitary-confinement',
          periodFrom: '2024-01-01',
          periodTo: null,
          account: 'Invented account',
          reportedAt: '2025-09-12T00:00:00Z',
          eventId: 'e4',
        },
      ],
      returnAttempts: [{ attemptedAt: '2025-09-12T09:00:00Z', borderCrossing: null, outcome: 'refused' }],
      contact: { lost: true, lastContactAt: '2025-09-13T08:00:00Z', reportedBy: 'family', changedAt: '2025-09-13T09:00:00Z' },
      rearrest: { reportedAt: '2025-09-25T12:00:00Z', place: null },
    });
  });

  it('passes only the fields it knows, even if a service sends more', async () => {
    const withExtras = { ...personFile(), release: undefined, deportation: undefined, _release: 'release', internalNote: 'x' };
    gateway.intake.answers.getPerson = () => of(withExtras);
    const body = (await get(`/v1/people/${personId}`)).json();
    expect(body).toMatchObject({ release: null, deportation: null });
    expect(body).not.toHaveProperty('_release');
    expect(body).not.toHaveProperty('internalNote');
  });

  it('passes minVersion to intake and maps its not-yet-consistent answer to 409', async () => {
    gateway.intake.answers.getPerson = () =>
      grpcFailure(status.OUT_OF_RANGE, 'The file is at version 3', { kind: 'not-yet-consistent', code: 'read-model.behind' });
    const response = await get(`/v1/people/${personId}?minVersion=4`);
    expect(gateway.intake.calls[0]!.request).toEqual({ personId, minVersion: 4 });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: 'https://homeward.example/problems/not-yet-consistent', code: 'read-model.behind' });
  });

  it('serves the person with legal: null and partial: ["legal"] when legal fails', async () => {
    gateway.legal.answers.listCases = () => grpcFailure(status.UNAVAILABLE, 'connect ECONNREFUSED');
    const response = await get(`/v1/people/${personId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ personId, fullName: 'Test Person', legal: null, partial: ['legal'] });
    const warning = gateway.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['level'] === 'warn');
    expect(warning).toMatchObject({ section: 'legal', grpcStatus: 'UNAVAILABLE' });
  });

  it('fails the read when intake fails: 404 for an unknown person', async () => {
    gateway.intake.answers.getPerson = () =>
      grpcFailure(status.NOT_FOUND, 'No such person', { kind: 'not-found', code: 'person.not-found' });
    const response = await get(`/v1/people/${personId}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      type: 'https://homeward.example/problems/not-found',
      code: 'person.not-found',
      instance: `/v1/people/${personId}`,
    });
  });

  it.each(['-1', 'abc', '1.5', '4294967296'])('refuses minVersion=%s with 400', async (minVersion) => {
    const response = await get(`/v1/people/${personId}?minVersion=${minVersion}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'minVersion' })]));
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('refuses an unknown query parameter and a personId that is not a UUID', async () => {
    expect((await get(`/v1/people/${personId}?include=all`)).json()).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'include' })],
    });
    expect((await get('/v1/people/42')).json()).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'personId' })] });
  });
});
