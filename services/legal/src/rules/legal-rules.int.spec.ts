// The rules of the legal service against the real PostgreSQL and Kafka: intake's and
// identity-documents' events go onto topics of this test, built with the messaging codec as their
// relays publish them; what the rules flag is read back over gRPC, from legal's event store and
// from legal's own topic. Invented people only.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { verifyChain } from '@homeward/eventsourcing';
import { caseIdOf, legalCaseStreamId, patternIdOf, periodPatternIdOf, periodScope, violationIdOf } from '@homeward/legal-domain';
import { eventually, harnessPerSpec, uniqueName } from '@homeward/testing';
import { startLegalHarness } from '../testing/legal-harness.js';
import { documents, intake, newPersonId } from '../testing/observed-events.js';

const threshold = 3;

describe('the legal rules', () => {
  const deportedPerson = newPersonId();
  const deportation = intake.deported(deportedPerson);
  const confiscation = documents.confiscated(deportedPerson);

  const harness = harnessPerSpec(
    () =>
      startLegalHarness({
        patterns: { batchThreshold: threshold, periodThreshold: threshold, periodWindowDays: 30 },
        watchLegalTopic: true,
      }),
    (legal) => legal.stop(),
  );

  it('opens a case and flags ICCPR 12(4) and 12(2) when a passport is taken from a person deported without consent', async () => {
    await harness.publishIntake(intake.registered(deportedPerson), intake.released(deportedPerson, uniqueName('batch')), deportation);
    // The two topics are read independently: let the deportation open the case first, so that
    // which event opened it is known.
    await harness.caseWith(deportedPerson, (c) => c.streamVersion >= 1, 'the case opened by the deportation');
    await harness.publishDocuments(confiscation);

    const found = await harness.caseWith(deportedPerson, (c) => c.violations.length === 2, 'the two ICCPR flags');
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
    expect(JSON.stringify(await harness.factsOf(deportedPerson))).not.toContain('Invented');

    const onTopic = await eventually(
      async () => harness.published.filter((event) => event.streamId === legalCaseStreamId(caseIdOf(deportedPerson))),
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
    await harness.publishDocuments(destruction, certificate);
    await harness.publishDocuments(
      documents.confiscated(documented),
      documents.travelDocumentIssued(documented, 'refugee-travel-document'),
      documents.certificate(documented),
    );

    const found = await harness.caseWith(atRisk, (c) => c.violations.length === 2, 'the statelessness flags');
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

    await harness.caughtUp('the documented person’s certificate');
    expect(await harness.factsOf(documented)).toMatchObject({
      nonValidCertificate: expect.any(String),
      standing: { applications: [{ documentType: 'refugee-travel-document', decision: 'issued' }] },
    });
    expect((await harness.caseOf(documented)).violations).toEqual([]);
  });

  it('flags a statelessness risk for a holder of a humanitarian visa only: a visa replaces no passport', async () => {
    const visaHolder = newPersonId();
    const applicationId = randomUUID();
    await harness.publishDocuments(
      documents.confiscated(visaHolder),
      documents.travelDocumentApplied(visaHolder, 'humanitarian-visa', applicationId),
      documents.travelDocumentIssued(visaHolder, 'humanitarian-visa', applicationId),
      documents.certificate(visaHolder),
    );
    const found = await harness.caseWith(visaHolder, (c) => c.violations.length === 2, 'the statelessness flags of the visa holder');
    expect(found.provisions).toEqual([
      '1961 Convention on the Reduction of Statelessness 8(1)',
      'Universal Declaration of Human Rights 15(2)',
    ]);
    expect(await harness.factsOf(visaHolder)).toMatchObject({
      standing: { passport: 'confiscated', applications: [{ documentType: 'humanitarian-visa', decision: 'issued' }] },
    });
  });

  it('flags each deportation of each custody episode on its own, and a later destruction of the passport adds nothing', async () => {
    const personId = newPersonId();
    const first = intake.deported(personId);
    const second = intake.deported(personId);
    const confiscation = documents.confiscated(personId);
    await harness.publishIntake(intake.released(personId, uniqueName('batch')), first);
    await harness.publishDocuments(confiscation);
    await harness.caseWith(personId, (c) => c.violations.length === 2, 'the flags of the first deportation');
    await harness.publishIntake(
      intake.rearrested(personId),
      intake.imprisoned(personId),
      intake.released(personId, '', '2026-06-01T10:00:00.000Z'),
      second,
    );
    await harness.publishDocuments(documents.destroyed(personId));

    const found = await harness.caseWith(personId, (c) => c.violations.length === 4, 'the flags of the second deportation');
    await harness.caughtUp('the destruction');
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
    expect((await harness.caseOf(personId)).violations).toHaveLength(4);
    expect((await harness.caseOf(personId)).deportation).toMatchObject({ sourceEventId: second.eventId });
    expect((await harness.factsOf(personId))?.['deportations']).toHaveLength(2);
  });

  it('flags ICCPR 12(4) for a refused return, and nothing for a crossing', async () => {
    const refused = newPersonId();
    const crossed = newPersonId();
    const attempt = intake.returnAttempted(refused, 'refused');
    await harness.publishIntake(
      intake.deported(refused, true),
      attempt,
      intake.deported(crossed, true),
      intake.returnAttempted(crossed, 'crossed'),
    );

    const found = await harness.caseWith(refused, (c) => c.violations.length === 1, 'the refused-return flag');
    expect(found.violations[0]).toMatchObject({ citation: 'ICCPR 12(4)', restsOn: [attempt.eventId], flaggedBy: 'rule:return-refused' });
    expect(found.deportation).toMatchObject({ consented: true });
    await harness.caughtUp('the crossing');
    expect((await harness.caseOf(crossed)).violations).toEqual([]);
  });

  it(`raises one pattern indicator for Rome Statute 7(1)(d) when ${threshold} people of a batch are deported without consent`, async () => {
    const batchId = uniqueName('batch');
    const people = Array.from({ length: threshold + 1 }, () => newPersonId());
    const patternId = patternIdOf(batchId, 'deportation-without-consent');
    const patternEvents = () =>
      harness
        .query<{ count: string }>(`SELECT count(*) FROM events WHERE stream_id = $1`, [`legal-pattern-${patternId}`])
        .then((rows) => Number(rows[0]!.count));

    for (const personId of people.slice(0, threshold - 1))
      await harness.publishIntake(intake.released(personId, batchId), intake.deported(personId));
    await harness.caughtUp('the first deportations of the batch');
    expect(await patternEvents()).toBe(0);
    expect((await harness.client.listPatterns({ batchId })).items ?? []).toEqual([]);

    await harness.publishIntake(intake.released(people[threshold - 1]!, batchId), intake.deported(people[threshold - 1]!));
    const page = await eventually(
      () => harness.client.listPatterns({ batchId }),
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

    await harness.publishIntake(intake.released(people[threshold]!, batchId), intake.deported(people[threshold]!));
    const later = await eventually(
      () => harness.client.listPatterns({ batchId }),
      (answer) => answer.items[0]?.peopleAffectedNow === threshold + 1,
      {
        timeoutMs: 30_000,
        what: 'the fourth person counted',
      },
    );
    expect(later.items[0]!.peopleAffected).toBe(threshold);
    expect(await patternEvents()).toBe(1);
    expect(harness.published.filter((event) => event.type === 'PatternIndicatorRaised' && event.subject === batchId)).toHaveLength(1);
  });

  const acrossBatches = `raises one pattern indicator across batches when ${threshold} people released within one period`;
  it(`${acrossBatches} are deported without consent`, async () => {
    // A period of its own: no other test releases anyone in 2031.
    const releases = ['2031-04-12T10:00:00.000Z', '2031-04-25T10:00:00.000Z', '2031-05-08T10:00:00.000Z'];
    const { periodFrom, periodTo } = periodScope(releases[0]!, 30)!;
    expect(releases.map((at) => periodScope(at, 30)!.periodFrom)).toEqual([periodFrom, periodFrom, periodFrom]);
    const patternId = periodPatternIdOf(periodFrom, periodTo, 'deportation-without-consent');
    const people = releases.map(() => newPersonId());
    const batches = [uniqueName('batch'), uniqueName('batch'), ''];
    for (const [n, personId] of people.entries())
      await harness.publishIntake(intake.released(personId, batches[n]!, releases[n]), intake.deported(personId));

    const page = await eventually(
      () => harness.client.listPatterns({ batchId: '', practice: 'deportation-without-consent', limit: 200, cursor: '' }),
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
    expect((await harness.client.listPatterns({ batchId: batches[0]!, practice: '', limit: 10, cursor: '' })).items ?? []).toEqual([]);
  });

  it('flags nothing twice when events are redelivered, or replayed from the start by a rebuild', async () => {
    const count = async () => Number((await harness.query<{ count: string }>(`SELECT count(*) FROM events`))[0]!.count);
    await harness.caughtUp('everything so far');
    const before = await count();

    // Redelivered: the same messages again (a relay that crashed before marking them sent).
    await harness.publishIntake(deportation);
    await harness.publishDocuments(confiscation, confiscation);
    await harness.caughtUp('the redelivered events');
    expect(await count()).toBe(before);
    expect(
      Number(
        (
          await harness.query<{ count: string }>(`SELECT count(*) FROM inbox WHERE group_id = $1 AND event_id = $2`, [
            harness.rulesGroup,
            confiscation.eventId,
          ])
        )[0]!.count,
      ),
    ).toBe(1);

    // Replayed: the facts rebuilt from offset 0 under a fresh consumer group. Every rule fires
    // again and asks for cases, flags and indicators that already exist.
    await harness.query('TRUNCATE person_facts, batch_practices');
    await harness.restart({ rulesGroup: uniqueName('legal-rules-rebuild') });
    await harness.caughtUp('the rebuild');
    expect(
      Number((await harness.query<{ count: string }>(`SELECT count(*) FROM inbox WHERE group_id = $1`, [harness.rulesGroup]))[0]!.count),
    ).toBeGreaterThan(20);
    expect(Number((await harness.query<{ count: string }>(`SELECT count(*) FROM batch_practices`))[0]!.count)).toBeGreaterThan(0);
    expect(await count()).toBe(before);
    expect((await harness.caseOf(deportedPerson)).violations).toHaveLength(2);
    expect(await harness.query(`SELECT group_id, error FROM dead_letters`)).toEqual([]);
  });
});
