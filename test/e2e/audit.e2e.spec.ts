// The audit trail through the real system: intake's events reach the audit service over Kafka,
// auditors search, export and verify them through the gateway, every read of a person's file is
// in the access log, and a row altered behind the audit table's trigger is named by verification.
// Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { startSystem, type System } from '../support/system.js';

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}

interface AuditEventsPage {
  items: Array<{ eventId: string; type: string; streamVersion: number; data: Record<string, unknown>; hash: string; prevHash: string }>;
  nextCursor: string | null;
  total: number;
}

const person = {
  fullName: 'Siarhei Invented',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'blogger',
  birthDate: '1981-05-14',
};
const imprisonment = { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', facility: 'Penal colony 17' };
const release = {
  releasedAt: '2025-09-11T08:00:00.000Z',
  mechanism: 'brokered',
  batchId: 'batch-2025-09-11',
  daysOfSentenceRemaining: 120,
};
const deportation = {
  deportedAt: '2025-09-11T14:00:00.000Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Benyakoni',
  consented: false,
};

describe('audit through the gateway', () => {
  let system: System;
  let personId: string;
  let deportedEventId: string;
  const streamId = () => `person-${personId}`;
  const auditor = () => system.token('auditor', 'e2e-auditor');

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
    const token = system.token('intake');
    const created = await system.http<CommandResult>('POST', '/v1/people', { body: person, token });
    expect(created.status).toBe(201);
    personId = created.body.id;
    expect((await system.http('POST', `/v1/people/${personId}/imprisonment`, { body: imprisonment, token })).status).toBe(201);
    expect((await system.http('POST', `/v1/people/${personId}/release`, { body: release, token })).status).toBe(201);
    const deported = await system.http<CommandResult>('POST', `/v1/people/${personId}/deportation`, { body: deportation, token });
    expect(deported.status).toBe(201);
    deportedEventId = deported.body.eventIds[0]!;
    await eventually(
      () => system.http<AuditEventsPage>('GET', `/v1/audit/events?streamId=${streamId()}`, { token: auditor() }),
      (response) => response.status === 200 && response.body.total === 4,
      { what: 'the audit service to copy the four intake events', timeoutMs: 30_000 },
    );
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('searches the copied events, verbatim and in stream order', async () => {
    const page = await system.http<AuditEventsPage>('GET', `/v1/audit/events?streamId=${streamId()}&limit=2`, { token: auditor() });
    expect(page.status).toBe(200);
    expect(page.body.items.map((event) => event.type)).toEqual(['PersonRegistered', 'ImprisonmentRecorded']);
    // Verbatim means as intake stored it: the personal fields are ciphertext (personal-data.e2e.spec.ts).
    expect(page.body.items[0]!.data).toMatchObject({ personId, fullName: expect.stringMatching(/^enc:v2:/) });
    expect(page.body.items[1]!.prevHash).toBe(page.body.items[0]!.hash);
    const next = await system.http<AuditEventsPage>(
      'GET',
      `/v1/audit/events?streamId=${streamId()}&limit=2&cursor=${page.body.nextCursor}`,
      { token: auditor() },
    );
    expect(next.body.items.map((event) => event.type)).toEqual(['PrisonerReleased', 'PrisonerDeported']);
    expect(next.body.nextCursor).toBeNull();
    const byType = await system.http<AuditEventsPage>('GET', `/v1/audit/events?personId=${personId}&type=PrisonerDeported`, {
      token: auditor(),
    });
    expect(byType.body.items.map((event) => event.eventId)).toEqual([deportedEventId]);
  });

  it('exports as many NDJSON lines as the search counts', async () => {
    const response = await fetch(`${system.gatewayUrl}/v1/audit/events/export?streamId=${streamId()}`, {
      headers: { authorization: `Bearer ${auditor()}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text()).trimEnd().split('\n');
    const search = await system.http<AuditEventsPage>('GET', `/v1/audit/events?streamId=${streamId()}`, { token: auditor() });
    expect(lines).toHaveLength(search.body.total);
    expect(lines.map((line) => (JSON.parse(line) as { streamVersion: number }).streamVersion)).toEqual([1, 2, 3, 4]);
  });

  it('verifies the stream and the whole intake context as clean', async () => {
    const stream = await system.http('GET', `/v1/audit/verify?streamId=${streamId()}`, { token: auditor() });
    expect(stream.body).toEqual({ streamId: streamId(), eventsChecked: 4, valid: true, firstBroken: null });
    const intake = await system.http('GET', '/v1/audit/verify?source=intake', { token: auditor() });
    expect(intake.body).toMatchObject({ source: 'intake', valid: true, broken: [] });
  });

  it('logs every read of the person file, and refuses the audit trail to other roles', async () => {
    const file = await system.http('GET', `/v1/people/${personId}`, {
      token: system.token('legal', 'e2e-advisor'),
      headers: { 'x-correlation-id': 'e2e-audit-read-1' },
    });
    expect(file.status).toBe(200);
    const log = await system.http<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/v1/audit/access-log?personId=${personId}&actor=e2e-advisor`,
      { token: auditor() },
    );
    expect(log.status).toBe(200);
    expect(log.body.items[0]!['fields']).not.toContain('birthDate');
    expect(log.body.items[0]!['fields']).not.toContain('deportation');
    expect(log.body.items).toEqual([
      // The fields legal was shown: the deportation without its border crossing, no birth date.
      expect.objectContaining({
        actor: 'e2e-advisor',
        roles: ['legal'],
        personIds: [personId],
        correlationId: 'e2e-audit-read-1',
        route: 'GET /v1/people/:personId',
        fields: expect.arrayContaining(['personId', 'fullName', 'deportation.toCountry', 'deportation.consented']),
      }),
    ]);
    expect((await system.http('GET', `/v1/audit/events?personId=${personId}`, { token: system.token('intake') })).status).toBe(403);
    expect((await system.http('GET', `/v1/people/${personId}`, { token: auditor() })).status).toBe(403);
  });

  it('names the audit row altered behind the trigger; an altered intake row does not touch the audit copy', async () => {
    const intake = await system.database('intake');
    try {
      await intake.query(`UPDATE events SET data = jsonb_set(data, '{toCountry}', '"PL"') WHERE event_id = $1`, [deportedEventId]);
    } finally {
      await intake.end();
    }
    // The audit service holds its own copy: altering the producer's row does not alter it.
    expect((await system.http('GET', `/v1/audit/verify?streamId=${streamId()}`, { token: auditor() })).body).toMatchObject({ valid: true });

    const audit = await system.database('audit');
    try {
      await expect(
        audit.query(`UPDATE audit_events SET data = jsonb_set(data, '{toCountry}', '"PL"') WHERE event_id = $1`, [deportedEventId]),
      ).rejects.toThrow(/append-only/);
      await audit.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await audit.query(`UPDATE audit_events SET data = jsonb_set(data, '{toCountry}', '"PL"') WHERE event_id = $1`, [deportedEventId]);
      await audit.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    } finally {
      await audit.end();
    }
    const verified = await system.http('GET', `/v1/audit/verify?streamId=${streamId()}`, { token: auditor() });
    expect(verified.body).toEqual({
      streamId: streamId(),
      eventsChecked: 4,
      valid: false,
      firstBroken: { eventId: deportedEventId, streamVersion: 4, reason: 'hash-mismatch' },
    });
    const summary = await system.http<{ valid: boolean; broken: Array<{ streamId: string }> }>('GET', '/v1/audit/verify?source=intake', {
      token: auditor(),
    });
    expect(summary.body.valid).toBe(false);
    expect(summary.body.broken.map((stream) => stream.streamId)).toEqual([streamId()]);
  });
});
