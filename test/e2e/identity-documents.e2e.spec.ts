// Identity documents through the real parts: gateway -> identity-documents (gRPC) -> Postgres
// (events, outbox, inline read models) -> Kafka. The person is registered with intake first, but
// the documents context keeps its own stream and never asks intake. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { startSystem, type System } from '../support/system.js';

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
  applicationId?: string;
}

interface Documents {
  personId: string;
  streamVersion: number;
  status: string;
  passport: { state: string; confiscation: Record<string, unknown> | null; destruction: Record<string, unknown> | null };
  certificates: Array<Record<string, unknown>>;
  applications: Array<Record<string, unknown>>;
}

interface Page {
  items: Array<{ personId: string; status: string }>;
  nextCursor: string | null;
}

const person = (fullName: string) => ({
  fullName,
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'blogger',
  birthDate: '1988-05-14',
});
const confiscation = { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: 'Invented pre-trial detention centre' };
const a4Certificate = { issuedAt: '2025-09-11T09:00:00Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false };
const application = { appliedAt: '2025-09-20T10:00:00Z', country: 'LT', documentType: 'aliens-passport' };

describe('identity documents through the gateway', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
  });

  afterAll(async () => {
    await system?.stop();
  });

  const register = async (fullName: string) => {
    const response = await system.http<CommandResult>('POST', '/v1/people', { body: person(fullName), token: system.token('intake') });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  /** Every page of the undocumented list (one status, or both), following nextCursor. */
  const undocumented = async (status?: string) => {
    const items: Page['items'] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = `limit=2${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await system.http<Page>('GET', `/v1/documents/undocumented?${query}`, { token: system.token('legal') });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    return items;
  };

  it('a person whose passport was confiscated and who got the OGiM A4 certificate is at risk of statelessness', async () => {
    const personId = await register('Siarhei Invented');
    const token = system.token('documents');

    const confiscated = await system.http<CommandResult>('POST', `/v1/people/${personId}/documents/passport-confiscations`, {
      body: confiscation,
      token,
    });
    expect(confiscated).toMatchObject({ status: 201, body: { id: personId, streamVersion: 1, eventIds: [expect.any(String)] } });
    const afterConfiscation = await system.http<Documents>('GET', `/v1/people/${personId}/documents`, { token });
    expect(afterConfiscation.body).toMatchObject({
      personId,
      status: 'undocumented',
      passport: { state: 'confiscated', confiscation: { authority: 'kgb' } },
    });

    const certified = await system.http<CommandResult>('POST', `/v1/people/${personId}/documents/temporary-certificates`, {
      body: a4Certificate,
      headers: { 'if-match': '1' },
      token,
    });
    expect(certified).toMatchObject({ status: 201, body: { id: personId, streamVersion: 2 } });

    for (const role of ['documents', 'legal', 'intake', 'admin']) {
      const read = await system.http<Documents>('GET', `/v1/people/${personId}/documents?minVersion=2`, { token: system.token(role) });
      expect({ role, status: read.status }).toEqual({ role, status: 200 });
      expect(read.body).toMatchObject({ personId, streamVersion: 2, status: 'at-risk-of-statelessness' });
      // Each role sees what field-views.ts grants it: intake the status only, legal the papers without the place.
      if (role === 'intake') {
        expect(read.body).not.toHaveProperty('passport');
        continue;
      }
      const confiscation = {
        confiscatedAt: '2025-09-11T06:00:00Z',
        authority: 'kgb',
        ...(role === 'legal' ? {} : { place: 'Invented pre-trial detention centre' }),
      };
      expect(read.body).toMatchObject({
        passport: { state: 'confiscated', confiscation, destruction: null },
        certificates: [{ eventId: certified.body.eventIds[0], issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false }],
        applications: [],
      });
      if (role === 'legal') expect(read.body.passport.confiscation).not.toHaveProperty('place');
    }

    expect(await undocumented('at-risk-of-statelessness')).toContainEqual({ personId, status: 'at-risk-of-statelessness' });
    expect((await undocumented('undocumented')).map((item) => item.personId)).not.toContain(personId);

    // The events left through the outbox (to Kafka) in the same run.
    const db = await system.database('identity-documents');
    try {
      const rows = await eventually(
        async () => (await db.query(`SELECT count(*)::int AS outbox FROM outbox`)).rows[0].outbox as number,
        (outbox) => outbox === 0,
        { what: 'the identity-documents outbox to drain to Kafka' },
      );
      expect(rows).toBe(0);
      expect(
        (await db.query(`SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`, [`documents-${personId}`])).rows.map(
          (row) => row.type,
        ),
      ).toEqual(['PassportConfiscated', 'TemporaryCertificateIssued']);
    } finally {
      await db.end();
    }
  });

  it('applies for a travel document, a retry gets the same application, and an issued document makes the person documented', async () => {
    const personId = await register('Alena Invented');
    const token = system.token('documents');
    await system.http('POST', `/v1/people/${personId}/documents/passport-destructions`, {
      body: { destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: 'torn apart by officers (invented)' },
      token,
    });

    const headers = { 'idempotency-key': `apply-${personId}` };
    const applied = await system.http<CommandResult>('POST', `/v1/people/${personId}/documents/travel-document-applications`, {
      body: application,
      headers,
      token,
    });
    expect(applied).toMatchObject({
      status: 201,
      body: { id: personId, streamVersion: 2, applicationId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    const retried = await system.http<CommandResult>('POST', `/v1/people/${personId}/documents/travel-document-applications`, {
      body: application,
      headers,
      token,
    });
    expect(retried).toMatchObject({ status: 200, body: applied.body });
    const other = await system.http('POST', `/v1/people/${personId}/documents/travel-document-applications`, {
      body: { ...application, country: 'PL' },
      headers,
      token,
    });
    expect(other).toMatchObject({ status: 422, body: { type: expect.stringMatching(/idempotency-key-reused$/) } });

    const decisionUrl = `/v1/people/${personId}/documents/travel-document-applications/${applied.body.applicationId}/decision`;
    const early = await system.http('POST', decisionUrl, { body: { decision: 'issued', decidedAt: '2025-09-19T10:00:00Z' }, token });
    expect(early).toMatchObject({ status: 422, body: { code: 'travel-document.decided-before-application' } });
    const issued = await system.http<CommandResult>('POST', decisionUrl, {
      body: { decision: 'issued', decidedAt: '2025-10-20T10:00:00Z', validUntil: '2030-10-19' },
      token,
    });
    expect(issued).toMatchObject({ status: 201, body: { streamVersion: 3 } });
    const twice = await system.http('POST', decisionUrl, { body: { decision: 'refused', decidedAt: '2025-10-21T10:00:00Z' }, token });
    expect(twice).toMatchObject({ status: 422, body: { code: 'travel-document.already-decided' } });
    const unknown = await system.http(
      'POST',
      `/v1/people/${personId}/documents/travel-document-applications/0190a000-0000-7000-8000-0000000000ff/decision`,
      {
        body: { decision: 'refused', decidedAt: '2025-10-21T10:00:00Z' },
        token,
      },
    );
    expect(unknown).toMatchObject({ status: 404, body: { code: 'travel-document.application-not-found' } });

    const read = await system.http<Documents>('GET', `/v1/people/${personId}/documents`, { token });
    expect(read.body).toMatchObject({
      status: 'documented',
      passport: { state: 'destroyed', destruction: { authority: 'kgb' } },
      applications: [
        {
          applicationId: applied.body.applicationId,
          decision: 'issued',
          validUntil: '2030-10-19',
          country: 'LT',
          documentType: 'aliens-passport',
        },
      ],
    });
    expect((await undocumented()).map((item) => item.personId)).not.toContain(personId);
  });

  it('refuses the wrong role, bad input and the A4 certificate claimed valid, writing nothing', async () => {
    const personId = await register('Yury Invented');
    const url = `/v1/people/${personId}/documents/passport-confiscations`;
    expect((await system.http('POST', url, { body: confiscation, token: system.token('intake') })).status).toBe(403);
    expect((await system.http('GET', '/v1/documents/undocumented', { token: system.token('intake') })).status).toBe(403);
    expect(
      await system.http('POST', url, { body: { ...confiscation, authority: 'police' }, token: system.token('documents') }),
    ).toMatchObject({
      status: 400,
      body: { type: expect.stringMatching(/validation-failed$/) },
    });
    const valid = await system.http('POST', `/v1/people/${personId}/documents/temporary-certificates`, {
      body: { ...a4Certificate, validAsIdentityDocument: true },
      token: system.token('documents'),
    });
    expect(valid).toMatchObject({ status: 422, body: { code: 'certificate.ogim-a4-not-identity-document' } });
    const nothing = await system.http('GET', `/v1/people/${personId}/documents`, { token: system.token('documents') });
    expect(nothing).toMatchObject({ status: 404, body: { code: 'documents.not-found' } });
  });
});
