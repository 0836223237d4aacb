// Legal through the real parts: people released in one batch and deported (intake), their papers
// taken (identity-documents), both topics consumed by legal's rules, which flag violations and a
// batch pattern in legal's own event store; then an advisor works the case through the gateway.
// Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventColumns, rowToEnvelope, verifyChain } from '@homeward/eventsourcing';
import { eventually, uniqueName } from '@homeward/testing';
import { startSystem, type System } from '../support/system.js';

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}

interface Violation {
  violationId: string;
  citation: string;
  state: string;
  restsOn: string[];
  flaggedBy: string;
  decidedBy: string | null;
  reasoning: string | null;
}

interface LegalCase {
  caseId: string;
  personId: string;
  streamVersion: number;
  provisions: string[];
  violations: Violation[];
  evidence: Array<{ evidenceId: string; sha256: string }>;
  submissions: Array<{ submissionId: string; status: string; reference: string | null; history: Array<{ status: string }> }>;
  deportation: { consented: boolean; sourceEventId: string } | null;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const threshold = 3;
const batchId = uniqueName('batch-e2e').replaceAll('_', '-');
const person = (fullName: string) => ({
  fullName,
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'journalist',
  birthDate: '1981-04-12',
});
const imprisonment = { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2023-01-10', facility: 'Invented colony No. 1' };
const release = { releasedAt: '2025-09-11T08:00:00.000Z', mechanism: 'brokered', batchId, daysOfSentenceRemaining: 120 };
const deportation = {
  deportedAt: '2025-09-11T14:00:00.000Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Kamenny Log',
  consented: false,
};
const confiscation = { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb' };
const a4Certificate = { issuedAt: '2025-09-11T09:00:00Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false };
const refusedReturn = { attemptedAt: '2025-10-02T09:00:00Z', borderCrossing: 'Benyakoni', outcome: 'refused' };
const reasoning = 'The confiscation and the forced removal are documented by the border record and two witnesses.';

describe('legal through the gateway', () => {
  let system: System;
  const saved = { PATTERN_THRESHOLD: process.env.PATTERN_THRESHOLD, LEGAL_RULES_GROUP: process.env.LEGAL_RULES_GROUP };
  const people: string[] = [];
  const deportationEvents: string[] = [];

  beforeAll(async () => {
    // The launcher passes this process's environment on: a low threshold, and a consumer group of
    // this run's own (reading both topics from the start) so that no other run shares partitions.
    process.env.PATTERN_THRESHOLD = String(threshold);
    process.env.LEGAL_RULES_GROUP = uniqueName('legal-rules-e2e');
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
  });

  afterAll(async () => {
    await system?.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const as = (role: string) => ({ token: system.token(role, `e2e-${role}-7`) });
  const post = async (route: string, body: unknown, role = 'intake', headers: Record<string, string> = {}) =>
    system.http<CommandResult>('POST', route, { body, headers, ...as(role) });
  const legalCaseOf = async (personId: string, done: (found: LegalCase) => boolean, what: string) => {
    const page = await eventually(
      () => system.http<Page<LegalCase>>('GET', `/v1/legal/cases?personId=${personId}`, as('legal')),
      (response) => response.status === 200 && response.body.items.length === 1 && done(response.body.items[0]!),
      { timeoutMs: 60_000, what },
    );
    return page.body.items[0]!;
  };

  it('flags, from other contexts’ events, what rules can see; and raises one pattern for the batch', async () => {
    for (let i = 0; i < threshold; i += 1) {
      const created = await post('/v1/people', person(`Invented Legal Person ${i}`));
      expect(created.status).toBe(201);
      const personId = created.body.id;
      people.push(personId);
      expect((await post(`/v1/people/${personId}/imprisonment`, imprisonment)).status).toBe(201);
      expect((await post(`/v1/people/${personId}/release`, release)).status).toBe(201);
      const deported = await post(`/v1/people/${personId}/deportation`, deportation);
      expect(deported.status).toBe(201);
      deportationEvents.push(deported.body.eventIds[0]!);
    }
    const [first, second] = people as [string, string];

    const confiscated = await post(`/v1/people/${first}/documents/passport-confiscations`, confiscation, 'documents');
    expect(confiscated.status).toBe(201);
    const certificate = await post(`/v1/people/${first}/documents/temporary-certificates`, a4Certificate, 'documents');
    expect(certificate.status).toBe(201);
    const returned = await post(`/v1/people/${second}/return-attempts`, refusedReturn);
    expect(returned.status).toBe(201);

    const firstCase = await legalCaseOf(first, (c) => c.violations.length === 4, 'the four flags of the first person');
    expect(firstCase.deportation).toMatchObject({ consented: false, sourceEventId: deportationEvents[0] });
    expect(firstCase.provisions).toEqual([
      '1961 Convention on the Reduction of Statelessness 8(1)',
      'ICCPR 12(2)',
      'ICCPR 12(4)',
      'Universal Declaration of Human Rights 15(2)',
    ]);
    const byCitation = Object.fromEntries(firstCase.violations.map((violation) => [violation.citation, violation]));
    expect(byCitation['ICCPR 12(4)']).toMatchObject({ state: 'flagged', flaggedBy: 'rule:passport-taken-and-deported' });
    expect([...byCitation['ICCPR 12(4)']!.restsOn].sort()).toEqual([confiscated.body.eventIds[0], deportationEvents[0]].sort());
    for (const citation of ['1961 Convention on the Reduction of Statelessness 8(1)', 'Universal Declaration of Human Rights 15(2)']) {
      expect(byCitation[citation]).toMatchObject({
        flaggedBy: 'rule:statelessness-risk',
        restsOn: [confiscated.body.eventIds[0], certificate.body.eventIds[0]],
      });
    }

    const secondCase = await legalCaseOf(second, (c) => c.violations.length === 1, 'the refused return');
    expect(secondCase.violations[0]).toMatchObject({
      citation: 'ICCPR 12(4)',
      flaggedBy: 'rule:return-refused',
      restsOn: [returned.body.eventIds[0]],
    });

    const patterns = await eventually(
      () => system.http<Page<Record<string, unknown>>>('GET', `/v1/legal/patterns?batchId=${batchId}`, as('legal')),
      (response) => response.status === 200 && response.body.items.length === 1,
      { timeoutMs: 60_000, what: 'the batch pattern' },
    );
    expect(patterns.body.items[0]).toMatchObject({
      batchId,
      practice: 'deportation-without-consent',
      peopleAffected: threshold,
      threshold,
      citation: 'Rome Statute 7(1)(d)',
      raisedBy: 'rule:batch-pattern',
    });
    expect(((patterns.body.items[0]!['caseIds'] as string[]) ?? []).length).toBe(threshold);
  });

  it('lets an advisor confirm, dismiss, attach evidence and file a submission; rules never decide', async () => {
    const first = people[0]!;
    const found = await legalCaseOf(first, (c) => c.violations.length === 4, 'the first case');
    const route = `/v1/legal/cases/${found.caseId}`;
    const flagOf = (citation: string) => found.violations.find((violation) => violation.citation === citation)!.violationId;

    const confirmed = await post(`${route}/violations/${flagOf('ICCPR 12(4)')}/confirm`, { reasoning }, 'legal', {
      'if-match': String(found.streamVersion),
    });
    expect(confirmed).toMatchObject({ status: 201, body: { id: found.caseId, streamVersion: found.streamVersion + 1 } });
    expect(
      (
        await post(
          `${route}/violations/${flagOf('ICCPR 12(2)')}/dismiss`,
          { reasoning: 'Leaving Lithuania for a third country was possible.' },
          'legal',
        )
      ).status,
    ).toBe(201);

    const again = await post(`${route}/violations/${flagOf('ICCPR 12(4)')}/dismiss`, { reasoning }, 'legal');
    expect(again).toMatchObject({ status: 422, body: { code: 'violation.already-confirmed' } });
    expect((await post(`${route}/violations/${flagOf('ICCPR 12(2)')}/confirm`, { reasoning: 'too short' }, 'legal')).status).toBe(400);
    expect((await post(`${route}/violations/${flagOf('ICCPR 12(2)')}/confirm`, { reasoning }, 'intake')).status).toBe(403);

    const sha256 = 'F00D'.repeat(16);
    const evidence = await post(
      `${route}/evidence`,
      { kind: 'photo', source: 'family', sha256, description: 'Photograph of the A4 certificate', violationIds: [flagOf('ICCPR 12(4)')] },
      'legal',
    );
    expect(evidence.status).toBe(201);
    expect(
      (await post(`${route}/evidence`, { kind: 'document', source: 'lawyer', sha256, description: 'The same file' }, 'legal')).body,
    ).toMatchObject({
      code: 'evidence.already-attached',
    });

    const notConfirmed = await post(`${route}/submissions`, { forum: 'un-wgad', violationIds: [flagOf('ICCPR 12(2)')] }, 'legal');
    expect(notConfirmed).toMatchObject({ status: 422, body: { code: 'submission.violation-not-confirmed' } });
    const submission = await post(
      `${route}/submissions`,
      { forum: 'un-human-rights-committee', violationIds: [flagOf('ICCPR 12(4)')] },
      'legal',
      { 'idempotency-key': uniqueName('sub') },
    );
    expect(submission.status).toBe(201);
    const submissionId = submission.body.id;
    expect((await post(`${route}/submissions/${submissionId}/status`, { status: 'registered' }, 'legal')).body).toMatchObject({
      code: 'submission.transition-not-allowed',
    });
    expect((await post(`${route}/submissions/${submissionId}/status`, { status: 'filed', note: 'sent by post' }, 'legal')).status).toBe(
      201,
    );
    expect(
      (await post(`${route}/submissions/${submissionId}/status`, { status: 'registered', reference: 'CCPR/C/4711/2025' }, 'legal')).status,
    ).toBe(201);

    const read = await system.http<LegalCase>('GET', route, as('legal'));
    expect(read.status).toBe(200);
    expect(read.body.provisions).toEqual([
      '1961 Convention on the Reduction of Statelessness 8(1)',
      'ICCPR 12(4)',
      'Universal Declaration of Human Rights 15(2)',
    ]);
    expect(read.body.violations.find((v) => v.citation === 'ICCPR 12(4)')).toMatchObject({
      state: 'confirmed',
      decidedBy: 'advisor:e2e-legal-7',
      reasoning,
    });
    expect(read.body.violations.find((v) => v.citation === 'ICCPR 12(2)')).toMatchObject({ state: 'dismissed' });
    expect(read.body.evidence).toEqual([expect.objectContaining({ evidenceId: evidence.body.id, sha256: sha256.toLowerCase() })]);
    expect(read.body.submissions).toEqual([
      expect.objectContaining({
        submissionId,
        status: 'registered',
        reference: 'CCPR/C/4711/2025',
        history: [{ status: 'drafted' }, { status: 'filed' }, { status: 'registered' }].map(expect.objectContaining),
      }),
    ]);

    const byProvision = await system.http<Page<LegalCase>>(
      'GET',
      `/v1/legal/cases?personId=${first}&provision=${encodeURIComponent('ICCPR 12(2)')}`,
      as('legal'),
    );
    expect(byProvision.body.items).toEqual([]);
    const confirmedProvision = await system.http<Page<LegalCase>>(
      'GET',
      `/v1/legal/cases?personId=${first}&provision=${encodeURIComponent('ICCPR 12(4)')}`,
      as('legal'),
    );
    expect(confirmedProvision.body.items.map((c) => c.caseId)).toEqual([found.caseId]);

    const file = await system.http<{ legal: { cases: Array<{ caseId: string }> } }>('GET', `/v1/people/${first}`, as('legal'));
    expect(file.body.legal.cases.map((c) => c.caseId)).toEqual([found.caseId]);
  });

  it('keeps legal’s events in its own store, hash-chained, and flags nothing twice', async () => {
    const legal = await system.database('legal');
    try {
      const patterns = await legal.query(
        `SELECT count(*)::int AS n FROM events WHERE type = 'PatternIndicatorRaised' AND data->>'batchId' = $1`,
        [batchId],
      );
      expect(patterns.rows[0].n).toBe(1);
      const flags = await legal.query(
        `SELECT data->>'violationId' AS id, count(*)::int AS n FROM events
         WHERE type = 'ViolationFlagged' AND metadata->>'subject' = ANY($1) GROUP BY 1`,
        [people],
      );
      expect(flags.rows.map((row) => row.n)).toEqual([1, 1, 1, 1, 1]);

      const stream = `legal-case-${(await legal.query(`SELECT id FROM legal_cases WHERE doc->>'personId' = $1`, [people[0]])).rows[0].id}`;
      const events = (
        await legal.query(`SELECT ${eventColumns} FROM events WHERE stream_id = $1 ORDER BY stream_version`, [stream])
      ).rows.map(rowToEnvelope);
      expect(events.map((event) => event.type)).toEqual([
        'LegalCaseOpened',
        'ViolationFlagged',
        'ViolationFlagged',
        'ViolationFlagged',
        'ViolationFlagged',
        'ViolationConfirmed',
        'ViolationDismissed',
        'EvidenceAttached',
        'SubmissionFiled',
        'SubmissionStatusChanged',
        'SubmissionStatusChanged',
      ]);
      expect(verifyChain(stream, events)).toMatchObject({ valid: true, eventsChecked: events.length });
      expect(Number((await legal.query(`SELECT count(*) FROM dead_letters`)).rows[0].count)).toBe(0);
    } finally {
      await legal.end();
    }
  });
});
