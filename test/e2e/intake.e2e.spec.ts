// Intake through the gateway, with the whole system running: release batches (announce, import a
// CSV and JSON rows, re-import, counts), the people list, and a person's story after release.
// Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from '../support/system.js';
import { batchId, batchSize, foreignNationals, septemberRows, toCsv } from '../support/september-batch.js';

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}
interface ImportAnswer {
  batchId: string;
  rows: Array<{
    row: number;
    externalRef: string | null;
    outcome: string;
    personId?: string;
    reason?: string;
    errors?: Array<{ field: string; rule: string }>;
  }>;
  counts: Record<'created' | 'updated' | 'unchanged' | 'rejected', number>;
}
interface Page {
  items: Array<{ personId: string; fullName: string; status: string; batchId: string | null }>;
  nextCursor: string | null;
}

describe('intake through the gateway', () => {
  let system: System;
  const intake = () => system.token('intake');

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const eventCount = async () => {
    const db = await system.database('intake');
    try {
      return Number((await db.query(`SELECT count(*) FROM events`)).rows[0].count);
    } finally {
      await db.end();
    }
  };
  const importCsv = (csv: string, batch = batchId) =>
    system.http<ImportAnswer>('POST', `/v1/release-batches/${batch}/import`, {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
      token: intake(),
    });

  describe('a release batch', () => {
    const csv = toCsv(septemberRows());
    // Two bad records after the good ones: a date that does not exist, and a record cut short.
    const withBadRows =
      csv +
      'sept-bad-1,Invented Bad,1980-02-30,BY,false,blogger,art-342,12,2024-01-01,2025-09-11T08:00:00.000Z,brokered,10,,,,,\n' +
      'sept-bad-2,Invented Short\n';
    let first: ImportAnswer;

    it('is announced once', async () => {
      const announced = await system.http<CommandResult>('POST', '/v1/release-batches', {
        body: {
          batchId,
          date: '2025-09-11',
          announcedCount: batchSize,
          brokeredBy: 'United States',
          conditions: 'driven to Lithuania, passports kept',
        },
        token: intake(),
      });
      expect(announced).toMatchObject({ status: 201, body: { id: batchId, streamVersion: 1 } });
      expect(announced.headers.get('location')).toBe(`/v1/release-batches/${batchId}`);
      const again = await system.http('POST', '/v1/release-batches', {
        body: { batchId, date: '2025-09-11', announcedCount: 53 },
        token: intake(),
      });
      expect(again).toMatchObject({ status: 422, body: { code: 'release-batch.already-announced' } });
    });

    it('imports a CSV file: every good record, each bad one rejected with its reason', async () => {
      const response = await importCsv(withBadRows);
      expect(response.status).toBe(200);
      first = response.body;
      expect(first.counts).toEqual({ created: batchSize, updated: 0, unchanged: 0, rejected: 2 });
      expect(first.rows.slice(-2)).toEqual([
        expect.objectContaining({
          row: batchSize + 1,
          externalRef: 'sept-bad-1',
          outcome: 'rejected',
          reason: 'validation-failed',
          errors: [expect.objectContaining({ field: 'birthDate' })],
        }),
        expect.objectContaining({
          row: batchSize + 2,
          outcome: 'rejected',
          errors: expect.arrayContaining([expect.objectContaining({ rule: 'columnCount' })]),
        }),
      ]);
      expect(JSON.stringify(first)).not.toMatch(/Invented|1980-02-30/);
    });

    it('counts the batch: announced, registered, released, deported, foreign nationals, near the end of their sentence', async () => {
      const batch = await system.http('GET', `/v1/release-batches/${batchId}`, { token: system.token('legal') });
      expect(batch).toMatchObject({
        status: 200,
        body: {
          batchId,
          announcement: { date: '2025-09-11', announcedCount: batchSize, brokeredBy: 'United States' },
          counts: {
            announced: batchSize,
            registered: batchSize,
            released: batchSize,
            deported: batchSize,
            foreignNationals,
            nearEndOfSentence: batchSize / 2,
            contactLost: 0,
          },
        },
      });
    });

    it('creates nothing when the same file is imported again', async () => {
      const before = await eventCount();
      const again = await importCsv(withBadRows);
      expect(again.status).toBe(200);
      expect(again.body.counts).toEqual({ created: 0, updated: 0, unchanged: batchSize, rejected: 2 });
      expect(again.body.rows.map((row) => row.personId)).toEqual(first.rows.map((row) => row.personId));
      expect(await eventCount()).toBe(before);
    });

    it('takes JSON rows too, the same rules applying', async () => {
      const [row] = septemberRows();
      const response = await system.http<ImportAnswer>('POST', `/v1/release-batches/${batchId}/import`, {
        body: {
          rows: [
            { ...row, externalRef: 'late-1' },
            { ...row, externalRef: 'late-2', mechanism: 'escape' },
          ],
        },
        token: intake(),
      });
      expect(response.body.rows.map((result) => [result.externalRef, result.outcome])).toEqual([
        ['late-1', 'created'],
        ['late-2', 'rejected'],
      ]);
    });

    it('lists its people a page at a time, with no personal field but the name', async () => {
      const seen: Page['items'] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: { status: number; body: Page } = await system.http<Page>(
          'GET',
          `/v1/people?batchId=${batchId}&status=in-exile&limit=20${cursor ? `&cursor=${cursor}` : ''}`,
          {
            token: system.token('documents'),
          },
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      }
      expect(seen).toHaveLength(batchSize + 1);
      expect(new Set(seen.map((item) => item.personId)).size).toBe(batchSize + 1);
      // The documents desk's view of a line (field-views.ts): no batch.
      expect(Object.keys(seen[0]!).sort()).toEqual(['forgotten', 'fullName', 'personId', 'status', 'streamVersion', 'updatedAt']);
    });

    it('is refused to roles that only read', async () => {
      const response = await system.http('POST', `/v1/release-batches/${batchId}/import`, {
        raw: toCsv(septemberRows().slice(0, 1)),
        headers: { 'content-type': 'text/csv' },
        token: system.token('legal'),
      });
      expect(response.status).toBe(403);
    });
  });

  describe("a person's story after the release", () => {
    let personId: string;
    const post = (path: string, body: object) =>
      system.http<CommandResult>('POST', `/v1/people/${personId}/${path}`, { body, token: intake() });

    beforeAll(async () => {
      const list = await system.http<Page>('GET', `/v1/people?batchId=${batchId}&limit=1`, { token: intake() });
      personId = list.body.items[0]!.personId;
    });

    it('records conditions, a refused return, a lost contact: whereabouts unknown, counted in the batch', async () => {
      expect(
        await post('detention-conditions', {
          kind: 'solitary-confinement',
          periodFrom: '2024-01-01',
          periodTo: '2024-12-31',
          account: 'Invented account',
        }),
      ).toMatchObject({
        status: 201,
        body: { streamVersion: 5 },
      });
      expect(
        (await post('return-attempts', { attemptedAt: '2025-09-12T09:00:00Z', borderCrossing: 'Kamenny Log', outcome: 'refused' })).status,
      ).toBe(201);
      expect((await post('contact-lost', { lastContactAt: '2025-09-12T10:00:00Z', reportedBy: 'family' })).status).toBe(201);
      // Intake's own file: charges, places and contact are not legal's to see (field-views.ts).
      const file = await system.http('GET', `/v1/people/${personId}`, { token: intake() });
      expect(file.body).toMatchObject({
        status: 'whereabouts-unknown',
        batchId,
        imprisonment: { charges: ['art-342'] },
        detentionConditions: [{ kind: 'solitary-confinement', periodFrom: '2024-01-01', periodTo: '2024-12-31' }],
        returnAttempts: [{ outcome: 'refused', borderCrossing: 'Kamenny Log' }],
        contact: { lost: true, reportedBy: 'family' },
      });
      expect((await system.http('GET', `/v1/release-batches/${batchId}`, { token: intake() })).body).toMatchObject({
        counts: { contactLost: 1 },
      });
    });

    it('returns to the status before, then follows a re-arrest; refuses what cannot happen', async () => {
      expect((await post('contact-reestablished', { contactAt: '2025-09-20T10:00:00Z', reportedBy: 'lawyer' })).status).toBe(201);
      expect((await system.http('GET', `/v1/people/${personId}`, { token: intake() })).body).toMatchObject({
        status: 'return-attempted',
        contact: { lost: false },
      });
      // A later contact is a fact too: recorded, the status unchanged.
      expect((await post('contact-reestablished', { contactAt: '2025-09-21T10:00:00Z', reportedBy: 'lawyer' })).status).toBe(201);
      expect((await post('rearrest', { reportedAt: '2025-09-25T12:00:00Z', place: 'Minsk' })).status).toBe(201);
      expect(await post('return-attempts', { attemptedAt: '2025-09-26T09:00:00Z', outcome: 'crossed' })).toMatchObject({
        status: 422,
        body: { code: 'person.re-arrested' },
      });
      expect(await post('release', { releasedAt: '2025-09-27T09:00:00Z', mechanism: 'pardon' })).toMatchObject({
        status: 422,
        body: { code: 'person.not-imprisoned' },
      });
      expect(
        (await system.http<Page>('GET', `/v1/people?status=re-arrested`, { token: intake() })).body.items.map((item) => item.personId),
      ).toContain(personId);
    });
  });

  describe('a person outside any import', () => {
    it('needs an imprisonment before a release, and counts in a batch never announced', async () => {
      const created = await system.http<CommandResult>('POST', '/v1/people', {
        body: { fullName: 'Invented Single', citizenships: ['BY'] },
        token: intake(),
      });
      const personId = created.body.id;
      const release = {
        releasedAt: '2025-10-01T08:00:00Z',
        mechanism: 'pardon',
        batchId: 'batch-unannounced',
        daysOfSentenceRemaining: 100,
      };
      expect(await system.http('POST', `/v1/people/${personId}/release`, { body: release, token: intake() })).toMatchObject({
        status: 422,
        body: { code: 'person.not-imprisoned' },
      });
      expect(
        await system.http('POST', `/v1/people/${personId}/imprisonment`, {
          body: { sentenceMonths: 24, sentenceStart: '2024-01-15' },
          token: intake(),
        }),
      ).toMatchObject({
        status: 201,
        body: { streamVersion: 2 },
      });
      expect((await system.http('POST', `/v1/people/${personId}/release`, { body: release, token: intake() })).status).toBe(201);
      expect(
        await system.http('POST', `/v1/people/${personId}/return-attempts`, {
          body: { attemptedAt: '2025-10-02T08:00:00Z', outcome: 'refused' },
          token: intake(),
        }),
      ).toMatchObject({
        status: 422,
        body: { code: 'person.not-deported' },
      });
      const file = await system.http('GET', `/v1/people/${personId}`, { token: intake() });
      expect(file.body).toMatchObject({ status: 'released', imprisonment: { sentenceMonths: 24, expectedRelease: '2026-01-15' } });
      const batch = await system.http('GET', '/v1/release-batches/batch-unannounced', { token: intake() });
      expect(batch).toMatchObject({
        status: 200,
        body: { announcement: null, counts: { announced: 0, registered: 1, released: 1, nearEndOfSentence: 1 } },
      });
      expect((await system.http('GET', '/v1/release-batches/batch-nobody', { token: intake() })).status).toBe(404);
    });
  });
});
