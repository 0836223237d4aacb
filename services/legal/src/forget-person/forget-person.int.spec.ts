// Erasure in legal, against the real PostgreSQL and Kafka: the personal and identifying fields of
// a case are ciphertext from the start and readable only at the query edge; intake's
// PersonForgotten destroys the person's key, scrubs the case, refuses the advisors and quiets the
// rules, while the pattern the person counts in still holds. A rebuild brings nothing back.
// Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { legal } from '@homeward/contracts';
import { rebuildConsumerReadModel, rebuildInlineProjection } from '@homeward/operations';
import { caseIdOf, legalCaseStreamId, patternIdOf } from '@homeward/legal-domain';
import { eventually, uniqueName } from '@homeward/testing';
import { legalCases } from '../legal-cases/legal-cases.projection.js';
import { personFactsReadModel } from '../person-facts/person-facts.read-model.js';
import { patterns } from '../patterns/patterns.projection.js';
import { refusedWith } from '../testing/legal-client.js';
import { metadata, startLegalHarness, type LegalHarness } from '../testing/legal-harness.js';
import { documents, intake, newPersonId } from '../testing/observed-events.js';

const reasoning = 'Confirmed by the invented border record of Ales Fictionau and two witnesses.';
const source = 'Invented sister Hanna Fictionava';
const description = 'Photograph of the invented OGiM certificate of Ales Fictionau';
const reference = 'CCPR/C/9911/2031-invented';
const note = 'Sent by post to Geneva by the invented advocate Paulina Imaginary';
const laterReference = 'CCPR/C/9911/2031-registered-invented';
const summaryText = 'arbitrarily kept from entering their own country';
const secrets = [reasoning, source, description, reference, note, laterReference, summaryText, 'Fictionau', 'Imaginary'];

describe('erasing a person in legal', () => {
  let harness: LegalHarness;
  const personId = newPersonId();
  const other = newPersonId();
  const caseId = caseIdOf(personId);
  const batchId = uniqueName('batch');
  const patternId = patternIdOf(batchId, 'deportation-without-consent');
  let submissionId: string;
  let twelveFour: legal.Violation;

  const getCase = () => harness.client.getCase({ caseId });
  const caseEvents = async () =>
    (await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [legalCaseStreamId(caseId)]))[0]!.n;
  const pattern = async () => (await harness.client.listPatterns({ batchId })).items?.find((item) => item.patternId === patternId);
  const deadLetters = () => harness.query(`SELECT group_id, event_type, error FROM dead_letters`);

  /** Every row of every table of legal's database, as text. */
  async function everything(): Promise<string> {
    const tables = await harness.query<{ name: string }>(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const texts = await Promise.all(tables.map(({ name }) => harness.query<{ text: string }>(`SELECT t::text AS text FROM ${name} t`)));
    return texts
      .flat()
      .map((row) => row.text)
      .join('\n');
  }
  const expectNoSecret = async () => {
    const text = await everything();
    for (const secret of secrets) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    harness = await startLegalHarness({ patterns: { batchThreshold: 2, periodThreshold: 100, periodWindowDays: 30 } });
    // Two people of one batch deported without consent: a pattern indicator that counts both.
    for (const id of [personId, other])
      await harness.publishIntake(intake.registered(id), intake.released(id, batchId), intake.deported(id));
    await harness.publishDocuments(documents.confiscated(personId), documents.confiscated(other));
    const flagged = await eventually(getCase, (found) => found.violations.length === 2, {
      timeoutMs: 30_000,
      what: 'the flags to work on',
    });
    twelveFour = flagged.violations.find((violation) => violation.citation === 'ICCPR 12(4)')!;
    await eventually(pattern, (found) => found?.peopleAffected === 2, { timeoutMs: 30_000, what: 'the batch pattern' });

    await harness.client.confirmViolation({
      metadata: metadata({ idempotencyKey: uniqueName('confirm') }),
      caseId,
      violationId: twelveFour.violationId,
      reasoning,
    });
    await harness.client.attachEvidence({
      metadata: metadata(),
      caseId,
      kind: 'photo',
      source,
      sha256: 'cd'.repeat(32),
      description,
      violationIds: [twelveFour.violationId],
    });
    submissionId = (
      await harness.client.fileSubmission({
        metadata: metadata({ idempotencyKey: uniqueName('file') }),
        caseId,
        forum: 'un-human-rights-committee',
        violationIds: [twelveFour.violationId],
        status: 'filed',
        reference,
      })
    ).id;
    await harness.client.changeSubmissionStatus({
      metadata: metadata(),
      caseId,
      submissionId,
      status: 'registered',
      reference: laterReference,
      note,
    });
  }, 90_000);

  afterAll(() => harness?.stop());

  describe('before the erasure', () => {
    it('stores every personal and identifying value as ciphertext bound to the person, in events and read models alike', async () => {
      await expectNoSecret();
      const [evidence] = await harness.query<{ data: { source: string; description: string } }>(
        `SELECT data FROM events WHERE stream_id = $1 AND type = 'EvidenceAttached'`,
        [legalCaseStreamId(caseId)],
      );
      expect(evidence!.data.source).toMatch(/^enc:v2:/);
      expect(evidence!.data.description).toMatch(/^enc:v2:/);
      const [row] = await harness.query<{ doc: legal.LegalCase }>(`SELECT doc FROM legal_cases WHERE id = $1`, [caseId]);
      expect(row!.doc.violations.every((violation) => violation.summary.startsWith('enc:v2:'))).toBe(true);
      expect(row!.doc.submissions[0]!.history[1]!.note).toMatch(/^enc:v2:/);
    });

    it('answers GetCase and ListCases in clear: the read models keep the events’ field names, so the values open', async () => {
      const found = await getCase();
      expect(found.violations.find((violation) => violation.violationId === twelveFour.violationId)).toMatchObject({
        state: 'confirmed',
        reasoning,
        summary: expect.stringContaining(summaryText),
      });
      expect(found.evidence).toEqual([expect.objectContaining({ source, description, kind: 'photo' })]);
      expect(found.submissions[0]).toMatchObject({
        status: 'registered',
        reference: laterReference,
        history: [expect.objectContaining({ note: '' }), expect.objectContaining({ status: 'registered', note })],
      });
      const { items } = await harness.client.listCases({ personId, provision: '', limit: 10 });
      expect(items[0]).toMatchObject({ caseId, evidence: [expect.objectContaining({ source, description })] });
    });
  });

  describe('when intake’s PersonForgotten arrives', () => {
    beforeAll(async () => {
      await harness.publishIntake(intake.forgotten(personId));
      await harness.caughtUp('the erasure');
    }, 90_000);

    it('then the person’s key is destroyed', async () => {
      const [key] = await harness.query<{ wrapped_key: Buffer | null; destroyed_at: Date | null }>(
        `SELECT wrapped_key, destroyed_at FROM person_keys WHERE person_id = $1`,
        [personId],
      );
      expect(key).toMatchObject({ wrapped_key: null, destroyed_at: expect.any(Date) });
      const [kept] = await harness.query(`SELECT wrapped_key FROM person_keys WHERE person_id = $1`, [other]);
      expect(kept).toMatchObject({ wrapped_key: expect.any(Buffer) });
    });

    it('then no table of legal’s database holds any of the values, not even as ciphertext in the case', async () => {
      await expectNoSecret();
      const [row] = await harness.query<{ doc: legal.LegalCase }>(`SELECT doc FROM legal_cases WHERE id = $1`, [caseId]);
      expect(JSON.stringify(row!.doc)).not.toContain('enc:v');
      const fingerprints = await harness.query<{ request_hash: string }>(
        `SELECT request_hash FROM idempotency_keys WHERE result->>'id' = $1`,
        [personId],
      );
      expect(fingerprints).toHaveLength(2);
      expect(fingerprints.every((row) => row.request_hash === 'forgotten')).toBe(true);
    });

    it('then the case keeps its legal meaning: ids, citations, states, dates, what flags rest on, forums and statuses', async () => {
      const found = await getCase();
      expect(found.provisions).toEqual(['ICCPR 12(2)', 'ICCPR 12(4)']);
      expect(found.violations.find((violation) => violation.violationId === twelveFour.violationId)).toMatchObject({
        citation: 'ICCPR 12(4)',
        state: 'confirmed',
        decidedBy: 'advisor:lawyer-1',
        restsOn: twelveFour.restsOn,
        flaggedBy: twelveFour.flaggedBy,
        flaggedAt: twelveFour.flaggedAt,
        summary: '',
        reasoning: '',
      });
      expect(found.evidence).toEqual([expect.objectContaining({ kind: 'photo', sha256: 'cd'.repeat(32), source: '', description: '' })]);
      expect(found.submissions).toEqual([
        expect.objectContaining({
          submissionId,
          forum: 'un-human-rights-committee',
          status: 'registered',
          reference: '',
          history: [expect.objectContaining({ status: 'filed' }), expect.objectContaining({ status: 'registered', note: '' })],
        }),
      ]);
      expect(found.deportation).toMatchObject({ fromCountry: 'BY', toCountry: 'LT', consented: false });
    });

    it('then advisors are refused with person.forgotten, with or without a personal value, a retry included', async () => {
      const forgotten = { kind: 'rule-violated', code: 'person.forgotten' };
      const before = await caseEvents();
      expect(
        await refusedWith(
          harness.client.dismissViolation({ metadata: metadata(), caseId, violationId: twelveFour.violationId, reasoning }),
        ),
      ).toEqual(forgotten);
      expect(
        await refusedWith(
          harness.client.changeSubmissionStatus({
            metadata: metadata(),
            caseId,
            submissionId,
            status: 'communicated',
            reference: '',
            note: '',
          }),
        ),
      ).toEqual(forgotten);
      expect(
        await refusedWith(
          harness.client.flagViolation({ metadata: metadata(), caseId, instrument: 'ICCPR', provision: '9(1)', restsOn: [], summary: '' }),
        ),
      ).toEqual(forgotten);
      expect(await caseEvents()).toBe(before);
    });

    it('then later intake and documents events of the person flag nothing and are not dead-lettered', async () => {
      const before = await caseEvents();
      await harness.publishIntake(intake.returnAttempted(personId, 'refused'));
      await harness.publishDocuments(documents.destroyed(personId), documents.certificate(personId));
      await harness.caughtUp('the later events');
      expect(await caseEvents()).toBe(before);
      expect((await getCase()).violations).toHaveLength(2);
      expect(await deadLetters()).toEqual([]);
    });

    it('then a redelivered or repeated PersonForgotten changes nothing and fails nothing', async () => {
      await harness.publishIntake(intake.forgotten(personId), intake.forgotten(personId));
      await harness.caughtUp('the repeated erasure');
      expect(await deadLetters()).toEqual([]);
      await expectNoSecret();
    });

    it('then the pattern still counts the person: its cases and counts hold', async () => {
      const found = await pattern();
      expect(found).toMatchObject({ patternId, peopleAffected: 2, peopleAffectedNow: 2 });
      expect([...found!.caseIds].sort()).toEqual([caseId, caseIdOf(other)].sort());
    });

    it('then rebuilding legal’s read models, and replaying the topics from the start, brings no value back and fails nothing', async () => {
      const { dataSource } = harness.service.runtime;
      for (const projection of [legalCases, patterns]) await rebuildInlineProjection({ dataSource, projection });
      await rebuildConsumerReadModel({
        dataSource,
        broker: harness.broker,
        readModel: personFactsReadModel(harness.rulesGroup, harness.patterns),
        liveGroupId: harness.rulesGroup,
        topics: [harness.topics.intake, harness.topics.identityDocuments],
      });
      const before = await caseEvents();
      await harness.restart({ rulesGroup: uniqueName('legal-rules-replay') });
      await harness.caughtUp('the replay');

      await expectNoSecret();
      expect(await caseEvents()).toBe(before);
      expect(await deadLetters()).toEqual([]);
      const found = await getCase();
      expect(found.violations.map((violation) => [violation.summary, violation.reasoning])).toEqual([
        ['', ''],
        ['', ''],
      ]);
      expect(found.evidence).toEqual([expect.objectContaining({ source: '', description: '' })]);
      expect(found.submissions[0]).toMatchObject({
        reference: '',
        history: [expect.objectContaining({ note: '' }), expect.objectContaining({ note: '' })],
      });
      expect(await pattern()).toMatchObject({ peopleAffected: 2, peopleAffectedNow: 2 });
      // The other person's flags, sealed with a key of their own, still open.
      const others = await harness.client.getCase({ caseId: caseIdOf(other) });
      expect(others.violations.map((violation) => violation.summary)).toEqual([
        expect.stringContaining('Passport taken'),
        expect.stringContaining('Passport taken'),
      ]);
    });
  });
});
