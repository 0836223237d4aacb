// Rules as pure functions: given what legal knew about a person, when another context's event
// arrives, then these commands for the person's case (and these practices for the batch tally).
import { describe, expect, it } from '@jest/globals';
import { caseIdOf, violationIdOf } from '../ids.js';
import type { LegalCaseCommand } from '../legal-case.commands.js';
import { reactTo, type RuleOutcome } from './legal.rules.js';
import type { ObservedEvent } from './observed.events.js';
import { evolveFacts, releaseBeforeEpisodes, type FactsBeforeEpisodes, type PersonFacts } from './person-facts.js';

const personId = '0190a000-0000-7000-8000-000000000301';
const caseId = caseIdOf(personId);
const now = '2025-09-12T10:00:00.000Z';

type Of<T extends ObservedEvent['type']> = Extract<ObservedEvent, { type: T }>;
const at = '2025-09-11T14:00:00.000Z';

const registered = (foreignNational = false): Of<'PersonRegistered'> => ({
  type: 'PersonRegistered',
  eventId: 'e-registered',
  personId,
  data: {
    personId,
    fullName: 'Invented Person',
    aliases: [],
    birthDate: '',
    citizenships: ['BY'],
    foreignNational,
    occupation: 'journalist',
    batchId: '',
  },
});
const imprisoned: Of<'ImprisonmentRecorded'> = {
  type: 'ImprisonmentRecorded',
  eventId: 'e-imprisoned',
  personId,
  data: { personId, charges: ['342'], sentenceMonths: 36, sentenceStart: '2023-01-01', expectedRelease: '2026-01-01', facility: 'IK-1' },
};
const released = (batchId = 'batch-2025-09-11', eventId = 'e-released', releasedAt = at): Of<'PrisonerReleased'> => ({
  type: 'PrisonerReleased',
  eventId,
  personId,
  data: { personId, releasedAt, mechanism: 'brokered', batchId, daysOfSentenceRemaining: 120, sentenceRemainingSource: 'stated' },
});
const deported = (consented = false, eventId = 'e-deported'): Of<'PrisonerDeported'> => ({
  type: 'PrisonerDeported',
  eventId,
  personId,
  data: { personId, deportedAt: at, fromCountry: 'BY', toCountry: 'LT', borderCrossing: 'Kamenny Log', consented },
});
const confiscated = (eventId = 'e-confiscated'): Of<'PassportConfiscated'> => ({
  type: 'PassportConfiscated',
  eventId,
  personId,
  data: { personId, confiscatedAt: at, authority: 'kgb', place: '' },
});
const destroyed: Of<'PassportDestroyed'> = {
  type: 'PassportDestroyed',
  eventId: 'e-destroyed',
  personId,
  data: { personId, destroyedAt: at, authority: 'kgb', account: 'Torn apart in front of the person' },
};
const certificate = (validAsIdentityDocument = false, eventId = 'e-certificate'): Of<'TemporaryCertificateIssued'> => ({
  type: 'TemporaryCertificateIssued',
  eventId,
  personId,
  data: { personId, issuedAt: at, issuer: 'OGiM', format: 'A4', validAsIdentityDocument },
});
const applied = (documentType: string, applicationId = `app-${documentType}`): Of<'TravelDocumentApplied'> => ({
  type: 'TravelDocumentApplied',
  eventId: `e-applied-${applicationId}`,
  personId,
  data: { personId, applicationId, appliedAt: at, country: 'LT', documentType },
});
const travelDocument = (documentType: string, applicationId = `app-${documentType}`): Of<'TravelDocumentIssued'> => ({
  type: 'TravelDocumentIssued',
  eventId: `e-${documentType}`,
  personId,
  data: { personId, applicationId, issuedAt: at, country: 'LT', documentType, validUntil: '2030-01-01' },
});
const refusal = (documentType: string, applicationId = `app-${documentType}`): Of<'TravelDocumentRefused'> => ({
  type: 'TravelDocumentRefused',
  eventId: `e-refused-${applicationId}`,
  personId,
  data: { personId, applicationId, refusedAt: at, country: 'LT', documentType, reason: 'identity not established' },
});
/** Applied for, then issued: what identity-documents records. */
const issuedDocument = (documentType: string) => [applied(documentType), travelDocument(documentType)];
const returnAttempt = (outcome: string, eventId = `e-return-${outcome}`): Of<'ReturnAttempted'> => ({
  type: 'ReturnAttempted',
  eventId,
  personId,
  data: { personId, attemptedAt: at, borderCrossing: 'Benyakoni', outcome },
});

/** Facts after these events, as the facts read model would hold them. */
const known = (...events: ObservedEvent[]): PersonFacts | null =>
  events.reduce<PersonFacts | null>((facts, event) => reactTo(facts, event, now).facts, null);

const given = (...history: ObservedEvent[]) => ({
  when: (event: ObservedEvent): RuleOutcome => reactTo(known(...history), event, now),
});

const open = (firstEventId: string): LegalCaseCommand => ({ type: 'OpenCase', data: { caseId, personId, openedAt: now, firstEventId } });
const flagOf = (rule: string, instrument: string, provision: string, restsOn: string[]) =>
  expect.objectContaining({
    type: 'FlagViolation',
    data: expect.objectContaining({
      caseId,
      violationId: violationIdOf(rule, provision ? `${instrument} ${provision}` : instrument, restsOn),
      instrument,
      provision,
      restsOn,
      flaggedBy: `rule:${rule}`,
      flaggedAt: now,
    }),
  });

describe('opening a case', () => {
  it('opens nothing for a registration or a release', () => {
    expect(given().when(registered()).commands).toEqual([]);
    expect(given(registered()).when(released()).commands).toEqual([]);
  });
  it('opens the case on the first relevant event, and only then', () => {
    expect(given(registered()).when(imprisoned).commands).toEqual([open('e-imprisoned')]);
    expect(given(registered(), imprisoned).when(deported()).commands).toEqual([]);
  });
  it('opens nothing for a certificate that is a valid identity document', () => {
    expect(given().when(certificate(true)).commands).toEqual([]);
  });
  it('opens the case before the first flag', () => {
    const { commands } = given().when(returnAttempt('refused'));
    expect(commands).toEqual([open('e-return-refused'), flagOf('return-refused', 'ICCPR', '12(4)', ['e-return-refused'])]);
  });
  it('keeps no personal field in the facts', () => {
    const facts = known(registered(), destroyed, deported());
    expect(JSON.stringify(facts)).not.toMatch(/Invented|Torn|Kamenny/);
  });
});

describe('rule passport-taken-and-deported: ICCPR 12(4) and 12(2)', () => {
  const rule = 'passport-taken-and-deported';
  it('flags both when a deportation without consent follows a confiscation', () => {
    const { commands } = given(registered(), confiscated()).when(deported());
    expect(commands).toEqual([
      flagOf(rule, 'ICCPR', '12(4)', ['e-confiscated', 'e-deported']),
      flagOf(rule, 'ICCPR', '12(2)', ['e-confiscated', 'e-deported']),
    ]);
  });
  it('flags both when a confiscation follows a deportation without consent', () => {
    const { commands } = given(registered(), released(), deported()).when(confiscated());
    expect(commands).toEqual([
      flagOf(rule, 'ICCPR', '12(4)', ['e-confiscated', 'e-deported']),
      flagOf(rule, 'ICCPR', '12(2)', ['e-confiscated', 'e-deported']),
    ]);
  });
  it('counts a destroyed passport as taken', () => {
    expect(given(destroyed).when(deported()).commands).toEqual([
      flagOf(rule, 'ICCPR', '12(4)', ['e-destroyed', 'e-deported']),
      flagOf(rule, 'ICCPR', '12(2)', ['e-destroyed', 'e-deported']),
    ]);
  });
  it('flags nothing for a deportation with consent', () => {
    expect(given(confiscated()).when(deported(true)).commands).toEqual([]);
  });
  it('flags nothing for a confiscation alone', () => {
    expect(given(released()).when(confiscated()).commands).toEqual([open('e-confiscated')]);
  });
  describe('given one deportation already flagged', () => {
    const history = [released('batch-a', 'e-released-1'), confiscated(), deported()];
    it('asks for nothing on a destruction of the passport taken before (no new deportation)', () => {
      expect(given(...history).when(destroyed).commands).toEqual([]);
    });
    it('asks for nothing on a second confiscation alone', () => {
      expect(given(...history).when(confiscated('e-confiscated-again')).commands).toEqual([]);
    });
    it('asks for nothing when the same deportation is delivered again', () => {
      expect(given(...history).when(deported()).commands).toEqual([]);
    });
    it('flags a second deportation without consent, of a later custody episode, on its own', () => {
      const secondEpisode = [...history, imprisoned, released('', 'e-released-2')];
      expect(given(...secondEpisode).when(deported(false, 'e-deported-2')).commands).toEqual([
        flagOf(rule, 'ICCPR', '12(4)', ['e-confiscated', 'e-deported-2']),
        flagOf(rule, 'ICCPR', '12(2)', ['e-confiscated', 'e-deported-2']),
      ]);
    });
    it('flags nothing for a second deportation with consent', () => {
      expect(given(...history).when(deported(true, 'e-deported-2')).commands).toEqual([]);
    });
  });
  describe('given two deportations without consent and no passport taken yet', () => {
    it('flags each one, once, when the passport is taken', () => {
      const { commands } = given(deported(false, 'e-deported-1'), deported(false, 'e-deported-2')).when(confiscated());
      expect(commands).toEqual([
        flagOf(rule, 'ICCPR', '12(4)', ['e-confiscated', 'e-deported-1']),
        flagOf(rule, 'ICCPR', '12(2)', ['e-confiscated', 'e-deported-1']),
        flagOf(rule, 'ICCPR', '12(4)', ['e-confiscated', 'e-deported-2']),
        flagOf(rule, 'ICCPR', '12(2)', ['e-confiscated', 'e-deported-2']),
      ]);
    });
  });
  it('notes the "own country" question for a foreign national', () => {
    const [twelveFour] = given(registered(true), confiscated()).when(deported()).commands as Array<
      Extract<LegalCaseCommand, { type: 'FlagViolation' }>
    >;
    expect(twelveFour!.data.summary).toMatch(/foreign national/);
  });
  it('derives the same flag ids whichever event came last', () => {
    const one = given(confiscated()).when(deported()).commands;
    const other = given(deported())
      .when(confiscated())
      .commands.filter((command) => command.type === 'FlagViolation');
    expect(other).toEqual(one);
  });
});

describe('rule statelessness-risk: 1961 Convention 8(1) and UDHR 15(2), exactly when documents says at-risk-of-statelessness', () => {
  const rule = 'statelessness-risk';
  const flagsOn = (restsOn: string[]) => [
    flagOf(rule, '1961 Convention on the Reduction of Statelessness', '8(1)', restsOn),
    flagOf(rule, 'Universal Declaration of Human Rights', '15(2)', restsOn),
  ];

  describe('given a passport taken', () => {
    it('flags when only a non-valid certificate is issued', () => {
      expect(given(confiscated()).when(certificate()).commands).toEqual(flagsOn(['e-confiscated', 'e-certificate']));
    });
    it('flags when the only application for an alien’s passport is refused, resting on the refusal', () => {
      expect(given(confiscated(), applied('aliens-passport')).when(refusal('aliens-passport')).commands).toEqual(
        flagsOn(['e-confiscated', 'e-refused-app-aliens-passport']),
      );
    });
    it('flags nothing while an alien’s passport or a refugee travel document is held', () => {
      expect(given(confiscated(), ...issuedDocument('aliens-passport')).when(certificate()).commands).toEqual([]);
      expect(given(confiscated(), ...issuedDocument('refugee-travel-document')).when(certificate()).commands).toEqual([]);
    });
    it('flags even with a residence permit or a humanitarian visa: they replace no passport', () => {
      expect(
        given(confiscated(), ...issuedDocument('residence-permit'), ...issuedDocument('humanitarian-visa')).when(certificate()).commands,
      ).toEqual(flagsOn(['e-confiscated', 'e-certificate']));
    });
    it('flags nothing for a refused visa: it refuses no passport', () => {
      expect(given(confiscated(), applied('humanitarian-visa')).when(refusal('humanitarian-visa')).commands).toEqual([]);
    });
    it('flags nothing when the certificate is a valid identity document', () => {
      expect(given(confiscated(), certificate(true, 'e-valid-certificate')).when(certificate()).commands).toEqual([]);
    });
    it('flags nothing while another application is open', () => {
      expect(
        given(confiscated(), applied('aliens-passport', 'a'), applied('refugee-travel-document', 'b')).when(refusal('aliens-passport', 'a'))
          .commands,
      ).toEqual([]);
    });
  });

  describe('given a non-valid certificate and the passport still held', () => {
    it('flags when the passport goes', () => {
      expect(given(certificate()).when(destroyed).commands).toEqual(flagsOn(['e-destroyed', 'e-certificate']));
    });
    it('flags nothing yet', () => {
      expect(given(registered()).when(certificate()).commands).toEqual([open('e-certificate')]);
    });
  });

  describe('given a risk already flagged', () => {
    it('asks for nothing on a second certificate', () => {
      expect(given(confiscated(), certificate()).when(certificate(false, 'e-certificate-2')).commands).toEqual([]);
    });
    it('flags again, on the new refusal, after a new application made the person undocumented and was refused in turn', () => {
      const history = [confiscated(), applied('aliens-passport', 'a'), refusal('aliens-passport', 'a'), applied('aliens-passport', 'b')];
      expect(given(...history).when(refusal('aliens-passport', 'b')).commands).toEqual(flagsOn(['e-confiscated', 'e-refused-b']));
    });
  });

  it('says, in every summary, that Belarus is party to neither statelessness convention and that the Declaration is no treaty', () => {
    const flags = given(confiscated()).when(certificate()).commands as Array<Extract<LegalCaseCommand, { type: 'FlagViolation' }>>;
    expect(flags[0]!.data.summary).toMatch(/not a party .*1954 Convention/);
    expect(flags[0]!.data.summary).toMatch(/Art\. 9 .*political grounds/);
    expect(flags[1]!.data.summary).toMatch(/not a treaty/);
  });
});

describe('rule return-refused: ICCPR 12(4)', () => {
  const rule = 'return-refused';
  it('flags a refused return, resting on the attempt', () => {
    expect(given(deported()).when(returnAttempt('refused')).commands).toEqual([flagOf(rule, 'ICCPR', '12(4)', ['e-return-refused'])]);
  });
  it('flags nothing for a crossing or an unknown outcome', () => {
    expect(given(deported()).when(returnAttempt('crossed')).commands).toEqual([]);
    expect(given(deported()).when(returnAttempt('unknown')).commands).toEqual([]);
  });
  it('flags each refused attempt on its own, and the same attempt with the same id', () => {
    const first = given(deported()).when(returnAttempt('refused', 'e-attempt-1')).commands;
    const second = given(deported(), returnAttempt('refused', 'e-attempt-1')).when(returnAttempt('refused', 'e-attempt-2')).commands;
    const replay = given(deported()).when(returnAttempt('refused', 'e-attempt-1')).commands;
    expect(first).toEqual(replay);
    expect(second).toEqual([flagOf(rule, 'ICCPR', '12(4)', ['e-attempt-2'])]);
  });
});

describe('practices, by custody episode (each named by its release)', () => {
  const begun = (outcome: RuleOutcome) =>
    outcome.practicesBegun.map(({ practice, release }) => [practice, release.eventId, release.batchId]);

  describe('given a release in a batch', () => {
    it('begins deportation-without-consent for the deportation that follows', () => {
      expect(begun(given(released()).when(deported()))).toEqual([['deportation-without-consent', 'e-released', 'batch-2025-09-11']]);
    });
    it('begins nothing for a consented deportation', () => {
      expect(begun(given(released()).when(deported(true)))).toEqual([]);
    });
    it('begins nothing a second time for another deportation of the same episode', () => {
      expect(begun(given(released(), deported()).when(deported(false, 'e-deported-again')))).toEqual([]);
    });
  });

  describe('given events before the release was known', () => {
    it('begins passport-confiscation when the release comes after the confiscation', () => {
      expect(begun(given(confiscated()).when(released()))).toEqual([['passport-confiscation', 'e-released', 'batch-2025-09-11']]);
    });
    it('begins both at once when the release comes last', () => {
      expect(begun(given(confiscated(), deported()).when(released()))).toEqual([
        ['deportation-without-consent', 'e-released', 'batch-2025-09-11'],
        ['passport-confiscation', 'e-released', 'batch-2025-09-11'],
      ]);
    });
  });

  describe('given a first episode already counted', () => {
    const firstEpisode = [released('batch-a', 'e-released-1'), deported(false, 'e-deported-1'), confiscated()];
    it('begins deportation-without-consent again for the deportation of a later episode, with its own release', () => {
      const second = [...firstEpisode, imprisoned, released('batch-b', 'e-released-2', '2026-03-01T10:00:00.000Z')];
      expect(begun(given(...second).when(deported(false, 'e-deported-2')))).toEqual([
        ['deportation-without-consent', 'e-released-2', 'batch-b'],
      ]);
    });
    it('counts the passport, taken once, with the first release only', () => {
      expect(begun(given(...firstEpisode).when(released('batch-b', 'e-released-2')))).toEqual([]);
    });
  });

  it('begins a practice outside any batch too: a release alone still has a time, for the period tally', () => {
    const [occurrence] = given(released('')).when(deported()).practicesBegun;
    expect(occurrence).toEqual({
      practice: 'deportation-without-consent',
      release: { eventId: 'e-released', releasedAt: at, batchId: '' },
    });
  });
});

describe('facts', () => {
  it('keep every deportation, each with the release of its episode', () => {
    const facts = [
      released('batch-a', 'e-r1'),
      deported(false, 'e-1'),
      released('', 'e-r2'),
      deported(true, 'e-2'),
    ].reduce<PersonFacts | null>(evolveFacts, null);
    expect(facts!.deportations).toEqual([
      { eventId: 'e-1', deportedAt: at, fromCountry: 'BY', toCountry: 'LT', consented: false, releaseEventId: 'e-r1' },
      { eventId: 'e-2', deportedAt: at, fromCountry: 'BY', toCountry: 'LT', consented: true, releaseEventId: 'e-r2' },
    ]);
  });
  it('keep every taking of the passport; the first is the one flags rest on', () => {
    expect(known(confiscated(), destroyed)).toMatchObject({
      passportTaken: 'e-confiscated',
      passportTakings: ['e-confiscated', 'e-destroyed'],
      standing: { passport: 'destroyed' },
    });
  });
  it('keep nothing twice when an event is delivered again', () => {
    expect(known(released(), deported(), confiscated(), released(), deported(), confiscated())).toEqual(
      known(released(), deported(), confiscated()),
    );
  });
  it('are the same whatever the order two topics deliver in: the earlier recorded event opens the case', () => {
    const deportation = { ...deported(), recordedAt: '2025-09-11T14:00:01.000Z' };
    const confiscation = { ...confiscated(), recordedAt: '2025-09-11T14:00:02.000Z' };
    const oneWay = evolveFacts(evolveFacts(null, deportation), confiscation);
    const otherWay = evolveFacts(evolveFacts(null, confiscation), deportation);
    expect(otherWay).toEqual(oneWay);
    expect(oneWay).toMatchObject({ caseOpenedBy: 'e-deported', caseOpenedAt: '2025-09-11T14:00:01.000Z', passportTaken: 'e-confiscated' });
  });
});

describe('facts stored before custody episodes (the old document shape)', () => {
  const old: FactsBeforeEpisodes = {
    personId,
    caseId,
    caseOpenedBy: 'e-deported',
    caseOpenedAt: '',
    foreignNational: false,
    batchId: 'batch-2025-09-11',
    deportation: { eventId: 'e-deported', deportedAt: at, fromCountry: 'BY', toCountry: 'LT', consented: false },
    deportedWithoutConsent: 'e-deported',
    passportTaken: 'e-confiscated',
    nonValidCertificate: 'e-certificate',
    validDocument: '',
  };

  it('are read as the new shape, with the standing the old rule saw', () => {
    expect(evolveFacts(old, imprisoned)).toMatchObject({
      releases: [{ eventId: releaseBeforeEpisodes, releasedAt: '', batchId: 'batch-2025-09-11' }],
      deportations: [{ eventId: 'e-deported', consented: false, releaseEventId: releaseBeforeEpisodes }],
      passportTakings: ['e-confiscated'],
      standing: { passport: 'confiscated', certificates: [{ validAsIdentityDocument: false }], applications: [] },
    });
  });
  it('ask for no flag the old rules already raised', () => {
    const outcome = reactTo(old as unknown as PersonFacts, destroyed, now);
    expect(outcome.commands).toEqual([]);
    expect(outcome.practicesBegun).toEqual([]);
  });
  it('still flag what is new: a second deportation', () => {
    expect(reactTo(old as unknown as PersonFacts, deported(false, 'e-deported-2'), now).commands).toEqual([
      flagOf('passport-taken-and-deported', 'ICCPR', '12(4)', ['e-confiscated', 'e-deported-2']),
      flagOf('passport-taken-and-deported', 'ICCPR', '12(2)', ['e-confiscated', 'e-deported-2']),
    ]);
  });
  it('keep the first deportation without consent when a later one was consented', () => {
    const mixed: FactsBeforeEpisodes = { ...old, deportation: { ...old.deportation!, eventId: 'e-later', consented: true } };
    expect(evolveFacts(mixed, imprisoned).deportations.map((d) => [d.eventId, d.consented])).toEqual([
      ['e-deported', false],
      ['e-later', true],
    ]);
  });
});
