// The release of 11 September 2025 (DOMAIN.md), played with invented people through the gateway
// against the whole running system: 52 announced and imported, 14 foreign nationals, the
// nationals' passports taken and A4 certificates issued, everyone driven to Lithuania, about half
// near the end of their sentence; one person refuses to cross, tries to go back, and contact is
// lost. Every service is restarted somewhere in the middle. Then everything is checked through
// the gateway only: counts, papers, legal flags and the batch pattern, emails and signed webhooks,
// the overdue welfare check, and that nothing was lost or counted twice.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { checksums, listProjections, rebuildAll } from '../support/operations.js';
import { kindOf, startMailSink, startWebhookReceiver, type MailSink, type WebhookReceiver } from '../support/receivers.js';
import { batchId, batchSize, foreignNationals, septemberRows, toCsv } from '../support/september-batch.js';
import { startSystem, type System } from '../support/system.js';

const nationals = batchSize - foreignNationals;
const familyAddress = 'family.of.returner.invented@example.org';

interface ImportAnswer {
  rows: Array<{ externalRef: string; outcome: string; personId?: string }>;
  counts: Record<string, number>;
}
interface Violation {
  citation: string;
  state: string;
  flaggedBy: string;
  restsOn: string[];
}
interface LegalCase {
  caseId: string;
  personId: string;
  violations: Violation[];
}
interface Pattern {
  batchId: string;
  practice: string;
  peopleAffectedNow: number;
  citation: string;
}
interface Delivery {
  notificationId: string;
  channel: string;
  kind: string;
  urgent: boolean;
  status: string;
}

describe('the September release, end to end', () => {
  let system: System;
  let mail: MailSink;
  let webhooks: WebhookReceiver;
  const ids = new Map<string, string>(); // externalRef -> personId
  let returner = '';

  const as = (role: string) => ({ token: system.token(role) });
  const ok = async (method: string, route: string, role: string, body?: unknown) => {
    const response = await system.http(method, route, { ...as(role), body });
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  /** Every page of a cursor-paginated list. */
  const all = async <T>(route: string, role: string): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: T[]; nextCursor: string | null } } = await system.http<{
        items: T[];
        nextCursor: string | null;
      }>('GET', `${route}${route.includes('?') ? '&' : '?'}limit=20${cursor ? `&cursor=${cursor}` : ''}`, as(role));
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    mail = await startMailSink();
    webhooks = await startWebhookReceiver();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: {
        SMTP_URL: mail.url,
        NOTIFY_FROM: 'notify@homeward.test',
        ...webhooks.serviceEnv,
        WELFARE_CHECK_AFTER: 'PT5S',
        WELFARE_CHECK_POLL_MS: '250',
        DELIVERY_POLL_MS: '100',
        PATTERN_THRESHOLD: '10',
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await mail?.close();
    await webhooks?.close();
  });

  it('plays the release through the gateway, restarting every service on the way', async () => {
    await ok('POST', '/v1/release-batches', 'intake', {
      batchId,
      date: '2025-09-11',
      announcedCount: batchSize,
      brokeredBy: 'United States',
      conditions: 'released on condition of leaving the country',
    });
    const rows = septemberRows();
    const imported = await system.http<ImportAnswer>('POST', `/v1/release-batches/${batchId}/import`, {
      ...as('intake'),
      raw: toCsv(rows),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.counts).toMatchObject({ created: batchSize, rejected: 0 });
    for (const row of imported.body.rows) ids.set(row.externalRef, row.personId!);
    returner = ids.get(rows[20]!.externalRef)!; // a national who will refuse to cross

    // Legal is consuming the 200-odd events of the import right now.
    await system.restart('legal');

    const nationalRows = rows.filter((row) => !row.foreignNational);
    for (const [index, row] of nationalRows.entries()) {
      const personId = ids.get(row.externalRef)!;
      await ok('POST', `/v1/people/${personId}/documents/passport-confiscations`, 'documents', {
        confiscatedAt: '2025-09-11T06:30:00.000Z',
        authority: 'kgb',
        place: 'pre-trial detention centre',
      });
      await ok('POST', `/v1/people/${personId}/documents/temporary-certificates`, 'documents', {
        issuedAt: '2025-09-11T09:00:00.000Z',
        issuer: 'OGiM',
        format: 'A4',
        validAsIdentityDocument: false,
      });
      if (index === Math.floor(nationalRows.length / 2)) await system.restart('identity-documents');
    }

    const partner = await ok('POST', '/v1/notifications/recipients', 'notifications', {
      role: 'partner-organisation',
      channel: 'webhook',
      address: webhooks.url('/hooks/homeward'),
      consent: true,
      follows: [...ids.values()],
    });
    // Its own signing secret, answered once at registration: the partner keeps it to verify calls.
    webhooks.trust(partner['webhookSecret'] as string);
    await ok('POST', '/v1/notifications/recipients', 'notifications', {
      role: 'family',
      channel: 'email',
      address: familyAddress,
      consent: true,
      follows: [returner],
    });
    await system.restart('notifications');

    const now = new Date().toISOString();
    await ok('POST', `/v1/people/${returner}/return-attempts`, 'intake', {
      attemptedAt: now,
      borderCrossing: 'Kamenny Log',
      outcome: 'refused',
    });
    await system.restart('intake');
    await ok('POST', `/v1/people/${returner}/contact-lost`, 'intake', { lastContactAt: now, reportedBy: 'family' });
    await system.restart('gateway');
  });

  it('counts the batch', async () => {
    const batch = await eventually(
      () => system.http<{ counts: Record<string, number> }>('GET', `/v1/release-batches/${batchId}`, as('legal')),
      (response) => response.status === 200 && response.body.counts['contactLost'] === 1,
      { what: 'the batch summary' },
    );
    expect(batch.body.counts).toEqual({
      announced: batchSize,
      registered: batchSize,
      released: batchSize,
      deported: batchSize,
      foreignNationals,
      nearEndOfSentence: 26,
      contactLost: 1,
    });
    const exiled = await all<{ personId: string; status: string }>(`/v1/people?batchId=${batchId}`, 'intake');
    expect(exiled).toHaveLength(batchSize);
    expect(exiled.filter((person) => person.status === 'in-exile')).toHaveLength(batchSize - 1);
    expect(exiled.find((person) => person.personId === returner)?.status).toBe('whereabouts-unknown');
  });

  it('knows who is undocumented and at risk of statelessness: every national, no foreign national', async () => {
    const atRisk = await all<{ personId: string; status: string }>(
      '/v1/documents/undocumented?status=at-risk-of-statelessness',
      'documents',
    );
    const nationalIds = septemberRows()
      .filter((row) => !row.foreignNational)
      .map((row) => ids.get(row.externalRef));
    expect(atRisk.map((person) => person.personId).sort()).toEqual([...nationalIds].sort());
    const foreigner = ids.get(septemberRows()[0]!.externalRef)!;
    expect((await system.http('GET', `/v1/people/${foreigner}/documents`, as('documents'))).status).toBe(404);
  });

  it('flags each national once (ICCPR 12(4), 12(2), 1961 Convention 8(1), UDHR 15(2)), the returner again, and the patterns', async () => {
    const cases = await eventually(
      () => all<LegalCase>('/v1/legal/cases', 'legal'),
      (found) => found.reduce((sum, found) => sum + found.violations.length, 0) >= nationals * 4 + 1,
      { timeoutMs: 60_000, what: 'every flag' },
    );
    const people = new Set(ids.values());
    const ofBatch = cases.filter((found) => people.has(found.personId));
    const citationsOf = (personId: string) =>
      ofBatch
        .filter((found) => found.personId === personId)
        .flatMap((found) => found.violations.map((violation) => violation.citation))
        .sort();
    for (const row of septemberRows()) {
      const personId = ids.get(row.externalRef)!;
      const expected = row.foreignNational
        ? []
        : [
            '1961 Convention on the Reduction of Statelessness 8(1)',
            'ICCPR 12(2)',
            'ICCPR 12(4)',
            'Universal Declaration of Human Rights 15(2)',
            ...(personId === returner ? ['ICCPR 12(4)'] : []),
          ].sort();
      expect({ person: row.externalRef, citations: citationsOf(personId) }).toEqual({ person: row.externalRef, citations: expected });
    }
    const flags = ofBatch.flatMap((found) => found.violations);
    expect(flags).toHaveLength(nationals * 4 + 1);
    expect(flags.every((flag) => /\S+ \S+$/.test(flag.citation) && !flag.citation.endsWith('Statelessness'))).toBe(true);
    expect(flags.every((flag) => flag.state === 'flagged' && flag.flaggedBy.startsWith('rule:') && flag.restsOn.length > 0)).toBe(true);

    const patterns = (await system.http<{ items: Pattern[] }>('GET', `/v1/legal/patterns?batchId=${batchId}`, as('legal'))).body.items;
    expect(patterns.map((pattern) => [pattern.practice, pattern.peopleAffectedNow, pattern.citation]).sort()).toEqual([
      ['deportation-without-consent', batchSize, 'Rome Statute 7(1)(d)'],
      ['passport-confiscation', nationals, 'Rome Statute 7(1)(d)'],
    ]);
  });

  it('told the family by email and the partner by signed webhooks, once each, and escalated the overdue welfare check', async () => {
    const overdue = await eventually(
      () =>
        system.http<{ items: Array<{ status: string; causeKind: string }> }>(
          'GET',
          `/v1/notifications/welfare-checks?overdue=true&personId=${returner}`,
          as('notifications'),
        ),
      (response) => response.status === 200 && response.body.items.length >= 1,
      { timeoutMs: 60_000, what: 'the overdue welfare check' },
    );
    expect(overdue.body.items.every((check) => check.status === 'overdue')).toBe(true);

    const deliveries = await eventually(
      () => all<Delivery>(`/v1/notifications/deliveries?personId=${returner}`, 'notifications'),
      (found) => found.some((delivery) => delivery.kind === 'welfare-check-overdue' && delivery.status === 'delivered'),
      { timeoutMs: 60_000, what: 'the urgent notification delivered' },
    );
    expect(new Set(deliveries.map((delivery) => delivery.notificationId)).size).toBe(deliveries.length);
    expect(deliveries.filter((delivery) => delivery.kind === 'welfare-check-overdue').every((delivery) => delivery.urgent)).toBe(true);

    const familyMails = mail.mailsTo(familyAddress);
    expect(familyMails.map(kindOf)).toEqual(expect.arrayContaining(['return-attempted', 'contact-lost', 'welfare-check-overdue']));
    expect(new Set(familyMails.map((message) => message.notificationId)).size).toBe(familyMails.length);
    for (const message of mail.mails) {
      for (const row of septemberRows()) expect(message.raw).not.toContain(row.fullName);
    }

    const calls = webhooks.calls.filter((call) => call.body['personId'] === returner);
    expect(calls.map((call) => call.body['kind'])).toEqual(
      expect.arrayContaining(['return-attempted', 'contact-lost', 'welfare-check-overdue']),
    );
    expect(webhooks.calls.every((call) => call.signatureValid)).toBe(true);
    expect(new Set(webhooks.calls.map((call) => call.body['notificationId'])).size).toBe(webhooks.calls.length);
  });

  it("shows the returner's whole file", async () => {
    // The whole file is admin's; legal sees no notifications section (field-views.ts).
    const file = await system.http<Record<string, unknown>>('GET', `/v1/people/${returner}`, as('admin'));
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      personId: returner,
      status: 'whereabouts-unknown',
      batchId,
      deportation: { toCountry: 'LT', consented: false },
      returnAttempts: [{ outcome: 'refused' }],
      documents: { status: 'at-risk-of-statelessness' },
      legal: { cases: [{ personId: returner, violations: expect.any(Array) }] },
      notifications: { welfareChecks: expect.arrayContaining([expect.objectContaining({ status: 'overdue' })]) },
    });
    expect(file.body).not.toHaveProperty('partial');
  });
  it('rebuilds every read model of every service after the release: same rows, reads served, nothing sent twice', async () => {
    const all = await listProjections(system);
    expect(all.filter((item) => item.kind === 'consumer').map((item) => item.name)).toEqual(['person_facts', 'batch_practices']);
    const before = await checksums(system, all);
    const mailsBefore = mail.mails.length;
    const callsBefore = webhooks.calls.length;

    let reading = true;
    const statuses: number[] = [];
    const reader = (async () => {
      while (reading) statuses.push((await system.http('GET', `/v1/people/${returner}`, as('legal'))).status);
    })();
    const jobs = await rebuildAll(system, all);
    reading = false;
    await reader;

    expect(jobs.map((job) => [job.state, job.eventsDone === job.eventsTotal])).toEqual(jobs.map(() => ['done', true]));
    expect(await checksums(system, all)).toEqual(before);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mail.mails.length).toBe(mailsBefore);
    expect(webhooks.calls.length).toBe(callsBefore);
    const distinct = [...new Map(jobs.map((job) => [job.jobId, job])).values()];
    process.stdout.write(
      `september rebuild: ${all.length} read models in ${distinct.length} jobs, ` +
        `${distinct.reduce((sum, job) => sum + job.eventsDone, 0)} events, ` +
        `${statuses.length} reads during the rebuild, checksums identical\n`,
    );
  });
});
