// Every read of personal data through the real system is in the access log: one invented person
// known to every context is read through every read route by every role the route admits, then
// the auditor finds one entry per read (by actor and by person) naming the person and the fields
// the role was shown. With the audit service stopped, a read answers 503 and shows nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { startMailSink, type MailSink } from '../support/receivers.js';
import { startSystem, type System } from '../support/system.js';

interface AccessEntry {
  actor: string;
  roles: string[];
  personIds: string[];
  fields: string[];
  correlationId: string;
  route: string;
}

const batchId = 'batch-access-2025-09-11';
const person = {
  fullName: 'Access Invented',
  aliases: ['A. Invented'],
  birthDate: '1979-03-02',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'teacher',
  batchId,
};

describe('the access log through the gateway', () => {
  let system: System;
  let mail: MailSink;
  let personId: string;
  let caseId: string;
  /** Reads made while setting up are someone else's: the reads under test are counted by actor. */
  const waiter = (role: string) => ({ token: system.token(role, 'e2e-waiter') });
  const checker = () => ({ token: system.token('auditor', 'e2e-checker') });
  const readerOf = (role: string) => `e2e-access-${role}`;

  beforeAll(async () => {
    mail = await startMailSink();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: { SMTP_URL: mail.url, NOTIFY_FROM: 'notify@homeward.test', DELIVERY_POLL_MS: '100' },
    });
    const intake = { token: system.token('intake') };
    const created = await system.http<{ id: string }>('POST', '/v1/people', { body: person, ...intake });
    expect(created.status).toBe(201);
    personId = created.body.id;
    const recipient = { role: 'family', channel: 'email', address: 'family.access@invented.test', consent: true, follows: [personId] };
    expect(
      (await system.http('POST', '/v1/notifications/recipients', { body: recipient, token: system.token('notifications') })).status,
    ).toBe(201);
    const steps: Array<[string, Record<string, unknown>]> = [
      ['imprisonment', { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', facility: 'Invented colony' }],
      ['detention-conditions', { kind: 'solitary-confinement', periodFrom: '2024-01-01', account: 'Invented account of the cell' }],
      ['release', { releasedAt: '2025-09-11T08:00:00.000Z', mechanism: 'brokered', batchId, daysOfSentenceRemaining: 120 }],
      [
        'deportation',
        {
          deportedAt: '2025-09-11T14:00:00.000Z',
          fromCountry: 'BY',
          toCountry: 'LT',
          borderCrossing: 'Invented crossing',
          consented: false,
        },
      ],
      ['contact-lost', { lastContactAt: '2025-09-12T10:00:00Z', reportedBy: 'family' }],
    ];
    for (const [step, body] of steps)
      expect({ step, status: (await system.http('POST', `/v1/people/${personId}/${step}`, { body, ...intake })).status }).toEqual({
        step,
        status: 201,
      });
    const confiscation = { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: 'Invented detention centre' };
    expect(
      (
        await system.http('POST', `/v1/people/${personId}/documents/passport-confiscations`, {
          body: confiscation,
          token: system.token('documents'),
        })
      ).status,
    ).toBe(201);

    // Every context has the person before the reads under test.
    const cases = await eventually(
      () => system.http<{ items: Array<{ caseId: string }> }>('GET', `/v1/legal/cases?personId=${personId}`, waiter('legal')),
      (response) => response.status === 200 && response.body.items.length === 1,
      { what: "legal's case", timeoutMs: 60_000 },
    );
    caseId = cases.body.items[0]!.caseId;
    await eventually(
      () => system.http<{ items: unknown[] }>('GET', `/v1/notifications/deliveries?personId=${personId}`, waiter('notifications')),
      (response) => response.status === 200 && response.body.items.length > 0,
      { what: 'a delivery about the person', timeoutMs: 60_000 },
    );
    await eventually(
      () => system.http<{ items: unknown[] }>('GET', `/v1/notifications/welfare-checks?personId=${personId}`, waiter('notifications')),
      (response) => response.status === 200 && response.body.items.length > 0,
      { what: 'a welfare check', timeoutMs: 60_000 },
    );
    await eventually(
      () => system.http<{ total: number }>('GET', `/v1/audit/events?personId=${personId}`, waiter('auditor')),
      (response) => response.status === 200 && response.body.total >= 7,
      { what: "the audit copy of the person's events", timeoutMs: 60_000 },
    );
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    await mail?.close();
  });

  /** Every read route of personal data, and every role route-roles.ts admits to it. */
  const reads = (): Array<{ route: string; url: string; roles: string[] }> => [
    { route: 'GET /v1/people/:personId', url: `/v1/people/${personId}`, roles: ['intake', 'legal', 'documents', 'notifications', 'admin'] },
    { route: 'GET /v1/people', url: `/v1/people?batchId=${batchId}`, roles: ['intake', 'legal', 'documents', 'notifications', 'admin'] },
    {
      route: 'GET /v1/people/:personId/documents',
      url: `/v1/people/${personId}/documents`,
      roles: ['documents', 'legal', 'intake', 'admin'],
    },
    { route: 'GET /v1/documents/undocumented', url: '/v1/documents/undocumented?limit=100', roles: ['documents', 'legal', 'admin'] },
    { route: 'GET /v1/legal/cases', url: `/v1/legal/cases?personId=${personId}`, roles: ['legal', 'admin'] },
    { route: 'GET /v1/legal/cases/:caseId', url: `/v1/legal/cases/${caseId}`, roles: ['legal', 'admin'] },
    {
      route: 'GET /v1/notifications/deliveries',
      url: `/v1/notifications/deliveries?personId=${personId}`,
      roles: ['notifications', 'admin'],
    },
    {
      route: 'GET /v1/notifications/welfare-checks',
      url: `/v1/notifications/welfare-checks?personId=${personId}`,
      roles: ['notifications', 'admin'],
    },
    { route: 'GET /v1/audit/events', url: `/v1/audit/events?personId=${personId}`, roles: ['auditor', 'admin'] },
    { route: 'GET /v1/audit/events/export', url: `/v1/audit/events/export?personId=${personId}`, roles: ['auditor', 'admin'] },
  ];

  it('writes one entry per read, naming the people and the fields each role was shown', async () => {
    const made = new Map<string, { route: string; role: string }>();
    for (const { route, url, roles } of reads()) {
      for (const role of roles) {
        const correlationId = `access-${role}-${made.size}`;
        const response = await fetch(`${system.gatewayUrl}${url}`, {
          headers: { authorization: `Bearer ${system.token(role, readerOf(role))}`, 'x-correlation-id': correlationId },
        });
        expect({ route, role, status: response.status }).toEqual({ route, role, status: 200 });
        expect(await response.text()).toContain(personId);
        made.set(correlationId, { route, role });
      }
    }

    const entries: AccessEntry[] = [];
    for (const role of ['intake', 'legal', 'documents', 'notifications', 'auditor', 'admin']) {
      const log = await system.http<{ items: AccessEntry[] }>('GET', `/v1/audit/access-log?actor=${readerOf(role)}&limit=100`, checker());
      expect(log.status).toBe(200);
      entries.push(...log.body.items);
    }
    // One entry per read, no more and no less.
    expect(entries.map((entry) => entry.correlationId).sort()).toEqual([...made.keys()].sort());
    for (const entry of entries) {
      const read = made.get(entry.correlationId)!;
      expect({
        entry: entry.correlationId,
        route: entry.route,
        roles: entry.roles,
        names: entry.personIds.includes(personId),
        fields: entry.fields.length > 0,
      }).toEqual({
        entry: entry.correlationId,
        route: read.route,
        roles: [read.role],
        names: true,
        fields: true,
      });
    }

    // The fields are each role's view of the file, not the file.
    const fileEntry = (role: string) => entries.find((entry) => entry.route === 'GET /v1/people/:personId' && entry.roles[0] === role)!;
    expect(fileEntry('admin').fields).toEqual(
      expect.arrayContaining(['fullName', 'birthDate', 'aliases', 'detentionConditions', 'legal', 'notifications']),
    );
    expect(fileEntry('notifications').fields).toEqual(expect.arrayContaining(['personId', 'status', 'contact', 'notifications']));
    expect(fileEntry('notifications').fields).not.toEqual(expect.arrayContaining(['fullName']));
    for (const hidden of ['birthDate', 'aliases', 'detentionConditions', 'legal', 'fullName'])
      expect(fileEntry('notifications').fields.some((field) => field.startsWith(hidden))).toBe(false);
    expect(fileEntry('legal').fields).toEqual(expect.arrayContaining(['deportation.consented', 'detentionConditions.kind', 'legal']));
    expect(fileEntry('legal').fields).not.toContain('detentionConditions.account');
    expect(fileEntry('legal').fields).not.toContain('birthDate');

    // The auditor finds the same reads by person: a list read names everyone on its page.
    const found = new Set<string>();
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: AccessEntry[]; nextCursor: string | null } = (
        await system.http<{ items: AccessEntry[]; nextCursor: string | null }>(
          'GET',
          `/v1/audit/access-log?personId=${personId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          checker(),
        )
      ).body;
      for (const entry of page.items) found.add(entry.correlationId);
      cursor = page.nextCursor;
    }
    for (const correlationId of made.keys())
      expect({ correlationId, found: found.has(correlationId) }).toEqual({ correlationId, found: true });
  });

  it('shows each role only its view: absent fields, not nulls', async () => {
    const file = await system.http<Record<string, unknown>>('GET', `/v1/people/${personId}`, {
      token: system.token('notifications', 'e2e-view-check'),
    });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ personId, status: 'whereabouts-unknown', contact: { lost: true } });
    for (const hidden of ['fullName', 'birthDate', 'aliases', 'detentionConditions', 'legal', 'documents', 'episodes'])
      expect(file.body).not.toHaveProperty(hidden);
    const list = await system.http<{ items: Array<Record<string, unknown>> }>('GET', `/v1/people?batchId=${batchId}`, {
      token: system.token('notifications', 'e2e-view-check'),
    });
    expect(list.body.items).toEqual([expect.objectContaining({ personId })]);
    expect(list.body.items[0]).not.toHaveProperty('fullName');
  });

  it('refuses a read with 503 when the access log cannot be written', async () => {
    await system.kill('audit');
    for (const url of [`/v1/people/${personId}`, `/v1/people?batchId=${batchId}`, `/v1/people/${personId}/documents`]) {
      const response = await system.http<Record<string, unknown>>('GET', url, { token: system.token('intake', 'e2e-unlogged') });
      expect({ url, status: response.status }).toEqual({ url, status: 503 });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'audit.access-not-recorded' });
      expect(JSON.stringify(response.body)).not.toContain('Access Invented');
    }
  });
});
