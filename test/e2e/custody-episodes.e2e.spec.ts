// A life as it really happens, played through the gateway against the whole running system with
// invented people: a welfare check opened by a return attempt and cleared by a contact the family
// reports; and one person through two full custody episodes (imprisonment, release, deportation,
// return attempt, re-arrest, a new imprisonment on new charges, a new release in another batch,
// a new deportation), checked in the file, the status, the timeline, both batches' counts and
// legal's flags.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, uniqueName } from '@homeward/testing';
import { kindOf, startMailSink, type MailSink } from '../support/receivers.js';
import { startSystem, type System } from '../support/system.js';

const welfareCheckAfterMs = 4_000;

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}
interface WelfareCheck {
  checkId: string;
  personId: string;
  status: string;
  causeKind: string;
}
interface Delivery {
  kind: string;
  status: string;
}
interface Violation {
  citation: string;
  restsOn: string[];
  flaggedBy: string;
}
interface LegalCase {
  personId: string;
  violations: Violation[];
}
interface Episode {
  number: number;
  imprisonment: { charges: string[] } | null;
  release: { batchId: string | null; daysOfSentenceRemaining: number; sentenceRemainingSource: string | null } | null;
  deportation: { toCountry: string } | null;
  returnAttempts: Array<{ outcome: string }>;
  rearrest: { reportedAt: string } | null;
}
interface PersonFile {
  status: string;
  episodes: Episode[];
  timeline: Array<{ type: string; summary: string }>;
}
interface Counts {
  registered: number;
  released: number;
  deported: number;
  nearEndOfSentence: number;
}

const batchName = (name: string) => uniqueName(name).replaceAll('_', '-');

describe('the lifecycle as it really happens', () => {
  let system: System;
  let mail: MailSink;
  const saved = { LEGAL_RULES_GROUP: process.env.LEGAL_RULES_GROUP };

  beforeAll(async () => {
    mail = await startMailSink();
    process.env.LEGAL_RULES_GROUP = uniqueName('legal-rules-episodes-e2e');
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: {
        SMTP_URL: mail.url,
        NOTIFY_FROM: 'notify@homeward.test',
        WELFARE_CHECK_AFTER: `PT${welfareCheckAfterMs / 1000}S`,
        WELFARE_CHECK_POLL_MS: '200',
        DELIVERY_POLL_MS: '100',
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await mail?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const as = (role: string) => ({ token: system.token(role) });
  const ok = async (method: string, route: string, role: string, body?: unknown): Promise<CommandResult> => {
    const response = await system.http<CommandResult>(method, route, { ...as(role), body });
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const get = async <T>(route: string, role: string): Promise<T> => (await system.http<T>('GET', route, as(role))).body;
  const person = (fullName: string) => ok('POST', '/v1/people', 'intake', { fullName, citizenships: ['BY'], occupation: 'blogger' });
  const checksOf = async (personId: string) =>
    (await get<{ items: WelfareCheck[] }>(`/v1/notifications/welfare-checks?personId=${personId}`, 'notifications')).items;

  it('clears the welfare check a return attempt opened when the family reports contact, and escalates nothing', async () => {
    const { id } = await person('Returning Invented');
    const follower = 'mother.of.returning.invented@example.org';
    await ok('POST', '/v1/notifications/recipients', 'notifications', {
      role: 'family',
      channel: 'email',
      address: follower,
      consent: true,
      follows: [id],
    });
    await ok('POST', `/v1/people/${id}/imprisonment`, 'intake', { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2023-01-10' });
    await ok('POST', `/v1/people/${id}/release`, 'intake', { releasedAt: '2025-09-11T08:00:00Z', mechanism: 'brokered' });
    await ok('POST', `/v1/people/${id}/deportation`, 'intake', {
      deportedAt: '2025-09-11T14:00:00Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      consented: false,
    });
    await ok('POST', `/v1/people/${id}/return-attempts`, 'intake', {
      attemptedAt: new Date().toISOString(),
      borderCrossing: 'Benyakoni',
      outcome: 'unknown',
    });
    const [check] = await eventually(
      () => checksOf(id),
      (items) => items.length === 1,
      { what: 'the welfare check of the return attempt' },
    );
    expect(check).toMatchObject({ status: 'scheduled', causeKind: 'return-attempted' });

    // Contact was never recorded as lost: the report is a fact all the same, and clears the check.
    await ok('POST', `/v1/people/${id}/contact-reestablished`, 'intake', { contactAt: new Date().toISOString(), reportedBy: 'family' });
    await eventually(
      () => checksOf(id),
      (items) => items.length === 1 && items[0]!.status === 'cleared',
      { what: 'the cleared check' },
    );

    // Past the time the check would have been due, it stays cleared and nobody was alarmed.
    await new Promise((resolve) => setTimeout(resolve, welfareCheckAfterMs + 1_500));
    expect(await checksOf(id)).toEqual([expect.objectContaining({ status: 'cleared' })]);
    expect(
      await get<{ items: WelfareCheck[] }>(`/v1/notifications/welfare-checks?overdue=true&personId=${id}`, 'notifications'),
    ).toMatchObject({ items: [] });
    const deliveries = (await get<{ items: Delivery[] }>(`/v1/notifications/deliveries?personId=${id}`, 'notifications')).items;
    expect(deliveries.map((delivery) => delivery.kind)).not.toContain('welfare-check-overdue');
    await eventually(
      async () => mail.mailsTo(follower).map(kindOf),
      (kinds) => kinds.includes('contact-reestablished'),
      { what: 'the family told of the contact' },
    );
    expect(mail.mailsTo(follower).map(kindOf)).not.toContain('welfare-check-overdue');
  });

  describe('one person through two custody episodes', () => {
    const firstBatch = batchName('batch-episode-one');
    const secondBatch = batchName('batch-episode-two');
    let personId = '';
    const deportations: string[] = [];

    beforeAll(async () => {
      personId = (await person('Twice Invented')).id;
      const intake = (route: string, body: unknown) => ok('POST', `/v1/people/${personId}/${route}`, 'intake', body);
      const documents = (route: string, body: unknown) => ok('POST', `/v1/people/${personId}/documents/${route}`, 'documents', body);

      await intake('imprisonment', {
        charges: ['art-342'],
        sentenceMonths: 36,
        sentenceStart: '2023-01-31',
        facility: 'Invented colony No. 1',
      });
      await intake('release', {
        releasedAt: '2025-09-11T08:00:00Z',
        mechanism: 'brokered',
        batchId: firstBatch,
        daysOfSentenceRemaining: 120,
      });
      await documents('passport-confiscations', { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb' });
      deportations.push(
        (await intake('deportation', { deportedAt: '2025-09-11T14:00:00Z', fromCountry: 'BY', toCountry: 'LT', consented: false }))
          .eventIds[0]!,
      );
      await intake('return-attempts', { attemptedAt: '2025-10-01T09:00:00Z', borderCrossing: 'Benyakoni', outcome: 'crossed' });
      await intake('rearrest', { reportedAt: '2025-10-02T12:00:00Z', place: 'Invented town' });
      await intake('imprisonment', {
        charges: ['art-130'],
        sentenceMonths: 24,
        sentenceStart: '2025-11-01',
        facility: 'Invented colony No. 2',
      });
      // No days stated: derived from the new imprisonment's expected release (2027-11-01).
      await intake('release', { releasedAt: '2026-06-21T08:00:00Z', mechanism: 'pardon', batchId: secondBatch });
      deportations.push(
        (await intake('deportation', { deportedAt: '2026-06-21T14:00:00Z', fromCountry: 'BY', toCountry: 'PL', consented: false }))
          .eventIds[0]!,
      );
    });

    it('keeps both episodes in the file, the status and the timeline', async () => {
      const file = await get<PersonFile>(`/v1/people/${personId}`, 'intake');
      expect(file.status).toBe('in-exile');
      expect(file.episodes).toMatchObject([
        {
          number: 1,
          imprisonment: { charges: ['art-342'] },
          release: { batchId: firstBatch, daysOfSentenceRemaining: 120, sentenceRemainingSource: 'stated' },
          deportation: { toCountry: 'LT' },
          returnAttempts: [{ outcome: 'crossed' }],
          rearrest: { reportedAt: '2025-10-02T12:00:00Z' },
        },
        {
          number: 2,
          imprisonment: { charges: ['art-130'] },
          release: { batchId: secondBatch, daysOfSentenceRemaining: 498, sentenceRemainingSource: 'derived' },
          deportation: { toCountry: 'PL' },
          returnAttempts: [],
          rearrest: null,
        },
      ]);
      expect(file.timeline.map((entry) => entry.type)).toEqual([
        'PersonRegistered',
        'ImprisonmentRecorded',
        'PrisonerReleased',
        'PrisonerDeported',
        'ReturnAttempted',
        'RearrestReported',
        'ImprisonmentRecorded',
        'PrisonerReleased',
        'PrisonerDeported',
      ]);
      expect(file.timeline[6]!.summary).toBe('imprisoned again (custody episode 2): sentence of 24 months');
    });

    it('counts the person in both batches, each with the episode of that release', async () => {
      const counts = async (batchId: string) => (await get<{ counts: Counts }>(`/v1/release-batches/${batchId}`, 'intake')).counts;
      expect(await counts(firstBatch)).toMatchObject({ registered: 1, released: 1, deported: 1, nearEndOfSentence: 1 });
      expect(await counts(secondBatch)).toMatchObject({ registered: 1, released: 1, deported: 1, nearEndOfSentence: 0 });
    });

    it('flags each forced deportation once in legal, the second a new fact, no flag twice', async () => {
      const [found] = await eventually(
        () => get<{ items: LegalCase[] }>(`/v1/legal/cases?personId=${personId}`, 'legal').then((page) => page.items),
        (items) =>
          items.length === 1 &&
          deportations.every((eventId) => items[0]!.violations.some((violation) => violation.restsOn.includes(eventId))),
        { timeoutMs: 60_000, what: 'flags on both deportations' },
      );
      const keys = found!.violations.map((violation) => `${violation.citation} ${[...violation.restsOn].sort().join(',')}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const eventId of deportations) {
        const onIt = found!.violations.filter((violation) => violation.restsOn.includes(eventId)).map((violation) => violation.citation);
        expect(onIt.sort()).toEqual(['ICCPR 12(2)', 'ICCPR 12(4)']);
      }
    });
  });
});
