// The legal service booted in-process against the real PostgreSQL and Kafka. Intake's and
// identity-documents' events go onto topics of this test, built with the messaging codec as their
// relays publish them; what the rules flag is read back over gRPC, from legal's event store and
// from legal's own topic. Advisors then confirm, dismiss, attach and submit over gRPC.
// Invented people only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { legal } from '@homeward/contracts';
import { verifyChain } from '@homeward/eventsourcing';
import { caseIdOf, legalCaseStreamId, patternIdOf, periodPatternIdOf, periodScope, violationIdOf } from '@homeward/legal-domain';
import { decodeEventValue, sourceOf, type EventEnvelope, type Subscription } from '@homeward/messaging';
import { eventually, uniqueName } from '@homeward/testing';
import { refusedWith, type LegalTestClient } from './testing/legal-client.js';
import { metadata, startLegalHarness, type LegalHarness } from './testing/legal-harness.js';
import { documents, intake, newPersonId } from './testing/observed-events.js';

const threshold = 3;
const reasoning = 'Deportation without consent is documented by the border record and two witnesses.';

describe('legal service', () => {
  let harness: LegalHarness;
  let client: LegalTestClient;
  let legalTopicWatcher: Subscription;
  const published: EventEnvelope[] = [];

  const publishIntake = (...events: EventEnvelope[]) => harness.publishIntake(...events);
  const publishDocuments = (...events: EventEnvelope[]) => harness.publishDocuments(...events);
  const sql = <T>(text: string, parameters: unknown[] = []) => harness.query<T>(text, parameters);
  const caughtUp = (what: string) => harness.caughtUp(what);

  const caseOf = (personId: string) => client.getCase({ caseId: caseIdOf(personId) });
  const caseWith = (personId: string, done: (found: legal.LegalCase) => boolean, what: string) =>
    eventually(() => caseOf(personId), done, { timeoutMs: 30_000, what });
  const factsOf = async (personId: string) =>
    (await sql<{ doc: Record<string, unknown> }>(`SELECT doc FROM person_facts WHERE id = $1`, [personId]))[0]?.doc;

  beforeAll(async () => {
    harness = await startLegalHarness({ patterns: { batchThreshold: threshold, periodThreshold: threshold, periodWindowDays: 30 } });
    client = harness.client;
    legalTopicWatcher = await harness.broker.subscribe({
      groupId: uniqueName('legal-topic-watcher'),
      topics: [harness.topics.legal],
      async eachBatch(batch) {
        for (const message of batch.messages)
          published.push({ ...decodeEventValue(sourceOf(message.headers), message.value), subject: message.key });
        batch.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await legalTopicWatcher?.stop();
    await harness?.stop();
  });

  describe('rules', () => {
    const deportedPerson = newPersonId();
    const deportation = intake.deported(deportedPerson);
    const confiscation = documents.confiscated(deportedPerson);

    it('opens a case and flags ICCPR 12(4) and 12(2) when a passport is taken from a person deported without consent', async () => {
      await publishIntake(intake.registered(deportedPerson), intake.released(deportedPerson, uniqueName('batch')), deportation);
      // The two topics are read independently: let the deportation open the case first, so that
      // which event opened it is known.
      await caseWith(deportedPerson, (c) => c.streamVersion >= 1, 'the case opened by the deportation');
      await publishDocuments(confiscation);

      const found = await caseWith(deportedPerson, (c) => c.violations.length === 2, 'the two ICCPR flags');
      const restsOn = [confiscation.eventId, deportation.eventId];
      expect(found).toMatchObject({
        caseId: caseIdOf(deportedPerson),
        personId: deportedPerson,
        provisions: ['ICCPR 12(2)', 'ICCPR 12(4)'],
        deportation: { fromCountry: 'BY', toCountry: 'LT', consented: false, sourceEventId: deportation.eventId },
        streamVersion: 3,
      });
      const rule = 'passport-taken-and-deported';
      expect(found.violations.map((v) => [v.violationId, v.citation, v.state, v.flaggedBy, [...v.restsOn].sort()])).toEqual(
        expect.arrayContaining([
          [violationIdOf(rule, 'ICCPR 12(4)', restsOn), 'ICCPR 12(4)', 'flagged', `rule:${rule}`, [...restsOn].sort()],
          [violationIdOf(rule, 'ICCPR 12(2)', restsOn), 'ICCPR 12(2)', 'flagged', `rule:${rule}`, [...restsOn].sort()],
        ]),
      );

      const stream = await harness.service.runtime.store!.readStream(legalCaseStreamId(caseIdOf(deportedPerson)), { raw: true });
      expect(stream.map((event) => event.type)).toEqual(['LegalCaseOpened', 'ViolationFlagged', 'ViolationFlagged']);
      expect(stream[0]!.data).toMatchObject({ firstEventId: deportation.eventId });
      expect(stream.every((event) => event.subject === deportedPerson && event.causationId !== '')).toBe(true);
      expect(verifyChain(stream[0]!.streamId, stream).valid).toBe(true);
      expect(JSON.stringify(await factsOf(deportedPerson))).not.toContain('Invented');

      const onTopic = await eventually(
        async () => published.filter((event) => event.streamId === legalCaseStreamId(caseIdOf(deportedPerson))),
        (events) => events.length === 3,
        { timeoutMs: 30_000, what: "the case's events on legal's topic" },
      );
      expect(onTopic.map((event) => [event.type, event.subject, event.source])).toEqual([
        ['LegalCaseOpened', deportedPerson, 'legal'],
        ['ViolationFlagged', deportedPerson, 'legal'],
        ['ViolationFlagged', deportedPerson, 'legal'],
      ]);
    });

    it('flags a statelessness risk when only a non-valid certificate is left, and not when a valid travel document is held', async () => {
      const atRisk = newPersonId();
      const documented = newPersonId();
      const destruction = documents.destroyed(atRisk);
      const certificate = documents.certificate(atRisk);
      await publishDocuments(destruction, certificate);
      await publishDocuments(
        documents.confiscated(documented),
        documents.travelDocumentIssued(documented, 'refugee-travel-document'),
        documents.certificate(documented),
      );

      const found = await caseWith(atRisk, (c) => c.violations.length === 2, 'the statelessness flags');
      const restsOn = [destruction.eventId, certificate.eventId];
      expect(found.violations).toEqual([
        expect.objectContaining({
          citation: '1961 Convention on the Reduction of Statelessness 8(1)',
          provision: '8(1)',
          restsOn,
          flaggedBy: 'rule:statelessness-risk',
          state: 'flagged',
        }),
        expect.objectContaining({
          citation: 'Universal Declaration of Human Rights 15(2)',
          provision: '15(2)',
          restsOn,
          flaggedBy: 'rule:statelessness-risk',
          state: 'flagged',
        }),
      ]);
      expect(found.violations[0]!.summary).toMatch(/Belarus is not a party/);

      await caughtUp('the documented person’s certificate');
      expect(await factsOf(documented)).toMatchObject({
        nonValidCertificate: expect.any(String),
        standing: { applications: [{ documentType: 'refugee-travel-document', decision: 'issued' }] },
      });
      expect((await caseOf(documented)).violations).toEqual([]);
    });

    it('flags a statelessness risk for a holder of a humanitarian visa only: a visa replaces no passport', async () => {
      const visaHolder = newPersonId();
      const applicationId = randomUUID();
      await publishDocuments(
        documents.confiscated(visaHolder),
        documents.travelDocumentApplied(visaHolder, 'humanitarian-visa', applicationId),
        documents.travelDocumentIssued(visaHolder, 'humanitarian-visa', applicationId),
        documents.certificate(visaHolder),
      );
      const found = await caseWith(visaHolder, (c) => c.violations.length === 2, 'the statelessness flags of the visa holder');
      expect(found.provisions).toEqual([
        '1961 Convention on the Reduction of Statelessness 8(1)',
        'Universal Declaration of Human Rights 15(2)',
      ]);
      expect(await factsOf(visaHolder)).toMatchObject({
        standing: { passport: 'confiscated', applications: [{ documentType: 'humanitarian-visa', decision: 'issued' }] },
      });
    });

    it('flags each deportation of each custody episode on its own, and a later destruction of the passport adds nothing', async () => {
      const personId = newPersonId();
      const first = intake.deported(personId);
      const second = intake.deported(personId);
      const confiscation = documents.confiscated(personId);
      await publishIntake(intake.released(personId, uniqueName('batch')), first);
      await publishDocuments(confiscation);
      await caseWith(personId, (c) => c.violations.length === 2, 'the flags of the first deportation');
      await publishIntake(
        intake.rearrested(personId),
        intake.imprisoned(personId),
        intake.released(personId, '', '2026-06-01T10:00:00.000Z'),
        second,
      );
      await publishDocuments(documents.destroyed(personId));

      const found = await caseWith(personId, (c) => c.violations.length === 4, 'the flags of the second deportation');
      await caughtUp('the destruction');
      const rule = 'passport-taken-and-deported';
      expect(found.violations.map((v) => [v.violationId, [...v.restsOn].sort()]).sort()).toEqual(
        [first, second]
          .flatMap((deportation) =>
            ['ICCPR 12(4)', 'ICCPR 12(2)'].map((citation) => [
              violationIdOf(rule, citation, [confiscation.eventId, deportation.eventId]),
              [confiscation.eventId, deportation.eventId].sort(),
            ]),
          )
          .sort(),
      );
      expect((await caseOf(personId)).violations).toHaveLength(4);
      expect((await caseOf(personId)).deportation).toMatchObject({ sourceEventId: second.eventId });
      expect((await factsOf(personId))?.['deportations']).toHaveLength(2);
    });

    it('flags ICCPR 12(4) for a refused return, and nothing for a crossing', async () => {
      const refused = newPersonId();
      const crossed = newPersonId();
      const attempt = intake.returnAttempted(refused, 'refused');
      await publishIntake(
        intake.deported(refused, true),
        attempt,
        intake.deported(crossed, true),
        intake.returnAttempted(crossed, 'crossed'),
      );

      const found = await caseWith(refused, (c) => c.violations.length === 1, 'the refused-return flag');
      expect(found.violations[0]).toMatchObject({ citation: 'ICCPR 12(4)', restsOn: [attempt.eventId], flaggedBy: 'rule:return-refused' });
      expect(found.deportation).toMatchObject({ consented: true });
      await caughtUp('the crossing');
      expect((await caseOf(crossed)).violations).toEqual([]);
    });

    it(`raises one pattern indicator for Rome Statute 7(1)(d) when ${threshold} people of a batch are deported without consent`, async () => {
      const batchId = uniqueName('batch');
      const people = Array.from({ length: threshold + 1 }, () => newPersonId());
      const patternId = patternIdOf(batchId, 'deportation-without-consent');
      const patternEvents = () =>
        sql<{ count: string }>(`SELECT count(*) FROM events WHERE stream_id = $1`, [`legal-pattern-${patternId}`]).then((rows) =>
          Number(rows[0]!.count),
        );

      for (const personId of people.slice(0, threshold - 1))
        await publishIntake(intake.released(personId, batchId), intake.deported(personId));
      await caughtUp('the first deportations of the batch');
      expect(await patternEvents()).toBe(0);
      expect((await client.listPatterns({ batchId })).items ?? []).toEqual([]);

      await publishIntake(intake.released(people[threshold - 1]!, batchId), intake.deported(people[threshold - 1]!));
      const page = await eventually(
        () => client.listPatterns({ batchId }),
        (answer) => (answer.items ?? []).length === 1,
        { timeoutMs: 30_000, what: 'the pattern indicator' },
      );
      expect(page.items[0]).toMatchObject({
        patternId,
        batchId,
        practice: 'deportation-without-consent',
        peopleAffected: threshold,
        peopleAffectedNow: threshold,
        threshold,
        citation: 'Rome Statute 7(1)(d)',
        raisedBy: 'rule:batch-pattern',
      });
      expect([...page.items[0]!.caseIds].sort()).toEqual(people.slice(0, threshold).map(caseIdOf).sort());

      await publishIntake(intake.released(people[threshold]!, batchId), intake.deported(people[threshold]!));
      const later = await eventually(
        () => client.listPatterns({ batchId }),
        (answer) => answer.items[0]?.peopleAffectedNow === threshold + 1,
        {
          timeoutMs: 30_000,
          what: 'the fourth person counted',
        },
      );
      expect(later.items[0]!.peopleAffected).toBe(threshold);
      expect(await patternEvents()).toBe(1);
      expect(published.filter((event) => event.type === 'PatternIndicatorRaised' && event.subject === batchId)).toHaveLength(1);
    });

    it(`raises one pattern indicator across batches when ${threshold} people released within one period are deported without consent`, async () => {
      // A period of its own: no other test releases anyone in 2031.
      const releases = ['2031-04-12T10:00:00.000Z', '2031-04-25T10:00:00.000Z', '2031-05-08T10:00:00.000Z'];
      const { periodFrom, periodTo } = periodScope(releases[0]!, 30)!;
      expect(releases.map((at) => periodScope(at, 30)!.periodFrom)).toEqual([periodFrom, periodFrom, periodFrom]);
      const patternId = periodPatternIdOf(periodFrom, periodTo, 'deportation-without-consent');
      const people = releases.map(() => newPersonId());
      const batches = [uniqueName('batch'), uniqueName('batch'), ''];
      for (const [n, personId] of people.entries())
        await publishIntake(intake.released(personId, batches[n]!, releases[n]), intake.deported(personId));

      const page = await eventually(
        () => client.listPatterns({ batchId: '', practice: 'deportation-without-consent', limit: 200, cursor: '' }),
        (answer) => (answer.items ?? []).some((item) => item.patternId === patternId),
        {
          timeoutMs: 30_000,
          what: 'the period pattern indicator',
        },
      );
      expect(page.items.find((item) => item.patternId === patternId)).toMatchObject({
        batchId: '',
        periodFrom,
        periodTo,
        practice: 'deportation-without-consent',
        peopleAffected: threshold,
        threshold,
        citation: 'Rome Statute 7(1)(d)',
        raisedBy: 'rule:period-pattern',
      });
      // Each person's own batch counted them too, below the batch threshold.
      expect((await client.listPatterns({ batchId: batches[0]!, practice: '', limit: 10, cursor: '' })).items ?? []).toEqual([]);
    });

    it('flags nothing twice when events are redelivered, or replayed from the start by a rebuild', async () => {
      const count = async () => Number((await sql<{ count: string }>(`SELECT count(*) FROM events`))[0]!.count);
      await caughtUp('everything so far');
      const before = await count();

      // Redelivered: the same messages again (a relay that crashed before marking them sent).
      await publishIntake(deportation);
      await publishDocuments(confiscation, confiscation);
      await caughtUp('the redelivered events');
      expect(await count()).toBe(before);
      expect(
        Number(
          (
            await sql<{ count: string }>(`SELECT count(*) FROM inbox WHERE group_id = $1 AND event_id = $2`, [
              harness.rulesGroup,
              confiscation.eventId,
            ])
          )[0]!.count,
        ),
      ).toBe(1);

      // Replayed: the facts rebuilt from offset 0 under a fresh consumer group. Every rule fires
      // again and asks for cases, flags and indicators that already exist.
      await sql('TRUNCATE person_facts, batch_practices');
      await harness.restart({ rulesGroup: uniqueName('legal-rules-rebuild') });
      await caughtUp('the rebuild');
      expect(
        Number((await sql<{ count: string }>(`SELECT count(*) FROM inbox WHERE group_id = $1`, [harness.rulesGroup]))[0]!.count),
      ).toBeGreaterThan(20);
      expect(Number((await sql<{ count: string }>(`SELECT count(*) FROM batch_practices`))[0]!.count)).toBeGreaterThan(0);
      expect(await count()).toBe(before);
      expect((await caseOf(deportedPerson)).violations).toHaveLength(2);
      expect(await sql(`SELECT group_id, error FROM dead_letters`)).toEqual([]);
    });
  });

  describe('advisors', () => {
    const personId = newPersonId();
    const caseId = caseIdOf(personId);
    let flags: legal.Violation[];

    beforeAll(async () => {
      await publishIntake(intake.deported(personId));
      await publishDocuments(documents.confiscated(personId));
      flags = (await caseWith(personId, (c) => c.violations.length === 2, 'the flags to work on')).violations;
    }, 60_000);

    const flagFor = (citation: string) => flags.find((flag) => flag.citation === citation)!;

    it('confirm one flag and dismiss another, once each, with reasoning', async () => {
      const twelveFour = flagFor('ICCPR 12(4)');
      const twelveTwo = flagFor('ICCPR 12(2)');
      const confirmed = await client.confirmViolation({ metadata: metadata(), caseId, violationId: twelveFour.violationId, reasoning });
      expect(confirmed).toMatchObject({ id: caseId, streamVersion: 4, eventIds: [expect.any(String)], repeatedRequest: false });
      await client.dismissViolation({
        metadata: metadata(),
        caseId,
        violationId: twelveTwo.violationId,
        reasoning: 'The person could still leave Lithuania for a third country.',
      });

      expect(
        await refusedWith(client.confirmViolation({ metadata: metadata(), caseId, violationId: twelveFour.violationId, reasoning })),
      ).toEqual({ kind: 'rule-violated', code: 'violation.already-confirmed' });
      expect(
        (await refusedWith(client.confirmViolation({ metadata: metadata(), caseId, violationId: twelveTwo.violationId, reasoning }))).code,
      ).toBe('violation.already-dismissed');
      expect(
        (
          await refusedWith(
            client.dismissViolation({ metadata: metadata(), caseId, violationId: twelveFour.violationId, reasoning: 'short' }),
          )
        ).code,
      ).toBe('violation.reasoning-required');

      const found = await caseOf(personId);
      expect(found.violations.find((v) => v.violationId === twelveFour.violationId)).toMatchObject({
        state: 'confirmed',
        decidedBy: 'advisor:lawyer-1',
        reasoning,
      });
      expect(found.violations.find((v) => v.violationId === twelveTwo.violationId)).toMatchObject({ state: 'dismissed' });
      expect(found.provisions).toEqual(['ICCPR 12(4)']);
    });

    it('find cases by provision: flagged or confirmed, never dismissed', async () => {
      const twelveFour = await client.listCases({ personId, provision: 'ICCPR 12(4)', limit: 10 });
      const twelveTwo = await client.listCases({ personId, provision: 'ICCPR 12(2)', limit: 10 });
      expect((twelveFour.items ?? []).map((item) => item.caseId)).toEqual([caseId]);
      expect(twelveTwo.items ?? []).toEqual([]);
    });

    it('attach evidence by its sha256, once per file', async () => {
      const sha256 = 'AB'.repeat(32);
      const attached = await client.attachEvidence({
        metadata: metadata(),
        caseId,
        kind: 'photo',
        source: 'family',
        sha256,
        description: 'Photograph of the OGiM certificate',
        violationIds: [flagFor('ICCPR 12(4)').violationId],
      });
      expect(attached.id).not.toBe(caseId);
      expect(
        (
          await refusedWith(
            client.attachEvidence({
              metadata: metadata(),
              caseId,
              kind: 'photo',
              source: 'lawyer',
              sha256: sha256.toLowerCase(),
              description: 'The same photograph',
              violationIds: [],
            }),
          )
        ).code,
      ).toBe('evidence.already-attached');
      expect((await caseOf(personId)).evidence).toEqual([
        expect.objectContaining({ evidenceId: attached.id, sha256: 'ab'.repeat(32), kind: 'photo', attachedBy: 'advisor:lawyer-1' }),
      ]);
    });

    it('file a submission about a confirmed violation and follow its status; a retry with the Idempotency-Key files nothing new', async () => {
      const violationIds = [flagFor('ICCPR 12(4)').violationId];
      const idempotencyKey = uniqueName('submission');
      const filed = await client.fileSubmission({
        metadata: metadata({ idempotencyKey }),
        caseId,
        forum: 'un-human-rights-committee',
        violationIds,
        status: '',
        reference: '',
      });
      const retried = await client.fileSubmission({
        metadata: metadata({ idempotencyKey }),
        caseId,
        forum: 'un-human-rights-committee',
        violationIds,
        status: '',
        reference: '',
      });
      expect(retried).toEqual({ ...filed, repeatedRequest: true });

      expect(
        (
          await refusedWith(
            client.fileSubmission({
              metadata: metadata(),
              caseId,
              forum: 'un-wgad',
              violationIds: [flagFor('ICCPR 12(2)').violationId],
              status: '',
              reference: '',
            }),
          )
        ).code,
      ).toBe('submission.violation-not-confirmed');

      const submissionId = filed.id;
      await client.changeSubmissionStatus({
        metadata: metadata(),
        caseId,
        submissionId,
        status: 'filed',
        reference: '',
        note: 'sent by post',
      });
      expect(
        (
          await refusedWith(
            client.changeSubmissionStatus({ metadata: metadata(), caseId, submissionId, status: 'decided', reference: '', note: '' }),
          )
        ).code,
      ).toBe('submission.transition-not-allowed');
      const registered = await client.changeSubmissionStatus({
        metadata: metadata(),
        caseId,
        submissionId,
        status: 'registered',
        reference: 'CCPR/C/4711/2025',
        note: '',
      });

      const stale = client.changeSubmissionStatus({
        metadata: metadata({ expectedVersion: registered.streamVersion - 1 }),
        caseId,
        submissionId,
        status: 'communicated',
        reference: '',
        note: '',
      });
      expect((await refusedWith(stale)).kind).toBe('version-conflict');

      expect((await caseOf(personId)).submissions).toEqual([
        expect.objectContaining({
          submissionId,
          forum: 'un-human-rights-committee',
          status: 'registered',
          reference: 'CCPR/C/4711/2025',
          history: [
            expect.objectContaining({ status: 'drafted' }),
            expect.objectContaining({ status: 'filed', note: 'sent by post' }),
            expect.objectContaining({ status: 'registered' }),
          ],
        }),
      ]);
    });

    it('flag by hand what no rule saw', async () => {
      const flagged = await client.flagViolation({
        metadata: metadata(),
        caseId,
        instrument: 'ICCPR',
        provision: '9(1)',
        restsOn: [],
        summary: 'Arbitrary detention before the release.',
      });
      expect((await caseOf(personId)).violations.find((v) => v.violationId === flagged.id)).toMatchObject({
        citation: 'ICCPR 9(1)',
        flaggedBy: 'advisor:lawyer-1',
        state: 'flagged',
      });
    });

    it('are refused on a case that does not exist, and with ids that are not UUIDs', async () => {
      const unknown = caseIdOf(newPersonId());
      expect((await refusedWith(client.getCase({ caseId: unknown }))).code).toBe('case.not-found');
      expect(
        (
          await refusedWith(
            client.confirmViolation({ metadata: metadata(), caseId: unknown, violationId: flags[0]!.violationId, reasoning }),
          )
        ).code,
      ).toBe('case.not-found');
      expect(await refusedWith(client.confirmViolation({ metadata: metadata(), caseId, violationId: 'v-1', reasoning }))).toEqual({
        kind: 'validation-failed',
        code: 'violation.id-invalid',
      });
    });
  });
});
