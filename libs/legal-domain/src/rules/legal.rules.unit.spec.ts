// Rules as pure functions: given what legal knew about a person, when another context's event
// arrives, then these commands for the person's case (and these practices for the batch tally).
import { describe, expect, it } from '@jest/globals';
import { caseIdOf, violationIdOf } from '../ids.js';
import type { LegalCaseCommand } from '../legal-case.commands.js';
import { reactTo, type RuleOutcome } from './legal.rules.js';
import type { ObservedEvent } from './observed.events.js';
import { evolveFacts, type PersonFacts } from './person-facts.js';

const personId = '0190a000-0000-7000-8000-000000000301';
const caseId = caseIdOf(personId);
const now = '2025-09-12T10:00:00.000Z';

type Of<T extends ObservedEvent['type']> = Extract<ObservedEvent, { type: T }>;
const at = '2025-09-11T14:00:00.000Z';

const registered = (foreignNational = false): Of<'PersonRegistered'> => ({
  type: 'PersonRegistered',
  eventId: 'e-registered',
  personId,
  data: { personId, fullName: 'Invented Person', aliases: [], birthDate: '', citizenships: ['BY'], foreignNational, occupation: 'journalist', batchId: '' },
});
const imprisoned: Of<'ImprisonmentRecorded'> = {
  type: 'ImprisonmentRecorded',
  eventId: 'e-imprisoned',
  personId,
  data: { personId, charges: ['342'], sentenceMonths: 36, sentenceStart: '2023-01-01', expectedRelease: '2026-01-01', facility: 'IK-1' },
};
const released = (batchId = 'batch-2025-09-11'): Of<'PrisonerReleased'> => ({
  type: 'PrisonerReleased',
  eventId: 'e-released',
  personId,
  data: { personId, releasedAt: at, mechanism: 'brokered', batchId, daysOfSentenceRemaining: 120, sentenceRemainingSource: 'stated' },
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
const travelDocument = (documentType: string): Of<'TravelDocumentIssued'> => ({
  type: 'TravelDocumentIssued',
  eventId: `e-${documentType}`,
  personId,
  data: { personId, applicationId: 'app-1', issuedAt: at, country: 'LT', documentType, validUntil: '2030-01-01' },
});
const returnAttempt = (outcome: string, eventId = `e-return-${outcome}`): Of<'ReturnAttempted'> => ({
  type: 'ReturnAttempted',
  eventId,
  personId,
  data: { personId, attemptedAt: at, borderCrossing: 'Benyakoni', outcome },
});

/** Facts after these events, as the facts read model would hold them. */
const known = (...events: ObservedEvent[]): PersonFacts | null => events.reduce<PersonFacts | null>((facts, event) => reactTo(facts, event, now).facts, null);

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
  it('flags only once: a second confiscation or deportation asks for nothing', () => {
    expect(given(confiscated(), deported()).when(confiscated('e-confiscated-again')).commands).toEqual([]);
    expect(given(confiscated(), deported()).when(deported(false, 'e-deported-again')).commands).toEqual([]);
  });
  it('notes the "own country" question for a foreign national', () => {
    const [twelveFour] = given(registered(true), confiscated()).when(deported()).commands as Array<Extract<LegalCaseCommand, { type: 'FlagViolation' }>>;
    expect(twelveFour!.data.summary).toMatch(/foreign national/);
  });
  it('derives the same flag ids whichever event came last', () => {
    const one = given(confiscated()).when(deported()).commands;
    const other = given(deported()).when(confiscated()).commands.filter((command) => command.type === 'FlagViolation');
    expect(other).toEqual(one);
  });
});

describe('rule statelessness-risk: 1961 Convention on the Reduction of Statelessness', () => {
  const rule = 'statelessness-risk';
  const instrument = '1961 Convention on the Reduction of Statelessness';
  it('flags when the passport is gone and a non-valid certificate is issued', () => {
    expect(given(confiscated()).when(certificate()).commands).toEqual([flagOf(rule, instrument, '', ['e-confiscated', 'e-certificate'])]);
  });
  it('flags when the passport goes after the certificate', () => {
    expect(given(certificate()).when(destroyed).commands).toEqual([flagOf(rule, instrument, '', ['e-destroyed', 'e-certificate'])]);
  });
  it('flags nothing while a valid travel document is held', () => {
    expect(given(confiscated(), travelDocument('aliens-passport')).when(certificate()).commands).toEqual([]);
    expect(given(confiscated(), travelDocument('refugee-travel-document')).when(certificate()).commands).toEqual([]);
  });
  it('flags nothing when the certificate is a valid identity document', () => {
    expect(given(confiscated(), certificate(true, 'e-valid-certificate')).when(certificate()).commands).toEqual([]);
  });
  it('does not count a residence permit or a humanitarian visa as a valid travel document', () => {
    expect(given(confiscated(), travelDocument('residence-permit'), travelDocument('humanitarian-visa')).when(certificate()).commands).toEqual([
      flagOf(rule, instrument, '', ['e-confiscated', 'e-certificate']),
    ]);
  });
  it('flags nothing without a certificate, nor with a passport still held', () => {
    expect(given().when(confiscated()).commands).toEqual([open('e-confiscated')]);
    expect(given(registered()).when(certificate()).commands).toEqual([open('e-certificate')]);
  });
  it('flags only once: a second certificate asks for nothing', () => {
    expect(given(confiscated(), certificate()).when(certificate(false, 'e-certificate-2')).commands).toEqual([]);
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

describe('practices of a release batch', () => {
  it('begins deportation-without-consent for a person released in a batch', () => {
    expect(given(released()).when(deported()).practicesBegun).toEqual(['deportation-without-consent']);
  });
  it('begins passport-confiscation when the batch becomes known after the confiscation', () => {
    expect(given(confiscated()).when(released()).practicesBegun).toEqual(['passport-confiscation']);
  });
  it('begins both at once when the batch becomes known last', () => {
    expect(given(confiscated(), deported()).when(released()).practicesBegun).toEqual(['deportation-without-consent', 'passport-confiscation']);
  });
  it('begins nothing outside a batch, for a consented deportation, or a second time', () => {
    expect(given(released('')).when(deported()).practicesBegun).toEqual([]);
    expect(given(released()).when(deported(true)).practicesBegun).toEqual([]);
    expect(given(released(), deported()).when(deported(false, 'e-deported-again')).practicesBegun).toEqual([]);
  });
  it('keeps the first batch', () => {
    expect(known(released('batch-a'), released('batch-b'))!.batchId).toBe('batch-a');
  });
});

describe('facts', () => {
  it('keep the latest deportation and the first one without consent', () => {
    const facts = evolveFacts(evolveFacts(null, deported(false, 'e-1')), deported(true, 'e-2'));
    expect(facts).toMatchObject({ deportedWithoutConsent: 'e-1', deportation: { eventId: 'e-2', consented: true, fromCountry: 'BY', toCountry: 'LT' } });
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
