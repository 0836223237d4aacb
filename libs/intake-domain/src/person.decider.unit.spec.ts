import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { PersonEvent } from './person.events.js';
import { personDecider } from './person.decider.js';
import {
  commandFor,
  conditionReported,
  contactLost,
  contactReestablished,
  deported,
  forgotten,
  imprisoned,
  personId,
  registered,
  rearrested,
  released,
  secondImprisonment,
  secondRelease,
  secondReleaseDerived,
  returnCrossed,
  returnRefused,
  returnUnknown,
} from './person.fixtures.js';

const given = specFor(personDecider);
const when = (event: PersonEvent) => commandFor(event);

describe('person decider', () => {
  describe('given nobody', () => {
    it('registers a person', () => given().when(when(registered)).then(registered));
    it.each([imprisoned, conditionReported, released, deported, returnRefused, contactLost, contactReestablished, rearrested])(
      'refuses $type: person.not-registered',
      (event) => given().when(when(event)).thenThrows('person.not-registered'),
    );
  });

  describe('given a registered person', () => {
    it('refuses a second registration', () => given(registered).when(when(registered)).thenThrows('person.already-registered'));
    it('records an imprisonment as given', () => given(registered).when(when(imprisoned)).then(imprisoned));
    it('computes the expected release from the start and the months when it is not given', () =>
      given(registered)
        .when({
          type: 'RecordImprisonment',
          data: { ...imprisoned.data, expectedRelease: '', sentenceStart: '2024-01-31', sentenceMonths: 1 },
        })
        .then({
          type: 'ImprisonmentRecorded',
          data: { ...imprisoned.data, sentenceStart: '2024-01-31', sentenceMonths: 1, expectedRelease: '2024-02-29' },
        }));
    it('records an imprisonment of which nothing else is known', () => {
      const unknown = { personId, charges: [], sentenceMonths: 0, sentenceStart: '', expectedRelease: '', facility: '' };
      given(registered).when({ type: 'RecordImprisonment', data: unknown }).then({ type: 'ImprisonmentRecorded', data: unknown });
    });
    it('leaves the expected release unknown when the months are', () =>
      given(registered)
        .when({ type: 'RecordImprisonment', data: { ...imprisoned.data, sentenceMonths: 0, expectedRelease: '' } })
        .then({ type: 'ImprisonmentRecorded', data: { ...imprisoned.data, sentenceMonths: 0, expectedRelease: '' } }));
    it('refuses an expected release before the sentence start', () =>
      given(registered)
        .when({ type: 'RecordImprisonment', data: { ...imprisoned.data, expectedRelease: '2022-12-31' } })
        .thenThrows('imprisonment.release-before-start'));
    it('refuses a detention condition: person.not-imprisoned', () =>
      given(registered).when(when(conditionReported)).thenThrows('person.not-imprisoned'));
    it('refuses a release: person.not-imprisoned', () => given(registered).when(when(released)).thenThrows('person.not-imprisoned'));
    it('refuses a deportation: person.not-released', () => given(registered).when(when(deported)).thenThrows('person.not-released'));
    it('refuses a return attempt: person.not-deported', () =>
      given(registered).when(when(returnRefused)).thenThrows('person.not-deported'));
    it('refuses a re-arrest: person.not-released', () => given(registered).when(when(rearrested)).thenThrows('person.not-released'));
    it('records a lost contact', () => given(registered).when(when(contactLost)).then(contactLost));
    it('records a contact even when none was lost: it is a fact, not an error', () =>
      given(registered).when(when(contactReestablished)).then(contactReestablished));
  });

  describe('given an imprisoned person', () => {
    const history = [registered, imprisoned];
    it('refuses a second imprisonment', () =>
      given(...history)
        .when(when(imprisoned))
        .thenThrows('person.already-imprisoned'));
    it('records a detention condition', () =>
      given(...history)
        .when(when(conditionReported))
        .then(conditionReported));
    it('records a condition with an open period', () => {
      const open = { type: 'DetentionConditionReported', data: { ...conditionReported.data, periodTo: '' } } satisfies PersonEvent;
      given(...history)
        .when(when(open))
        .then(open);
    });
    it('refuses a period that ends before it starts', () =>
      given(...history)
        .when({ type: 'ReportDetentionCondition', data: { ...conditionReported.data, periodFrom: '2024-05-02', periodTo: '2024-05-01' } })
        .thenThrows('detention-condition.period-reversed'));
    it('records a release', () =>
      given(...history)
        .when(when(released))
        .then(released));
    it('refuses a deportation: person.not-released', () =>
      given(...history)
        .when(when(deported))
        .thenThrows('person.not-released'));
    it('refuses a re-arrest: person.not-released', () =>
      given(...history)
        .when(when(rearrested))
        .thenThrows('person.not-released'));
    it('refuses a return attempt: person.not-deported', () =>
      given(...history)
        .when(when(returnRefused))
        .thenThrows('person.not-deported'));
  });

  describe('given a released person', () => {
    const history = [registered, imprisoned, released];
    it('refuses a second release', () =>
      given(...history)
        .when(when(released))
        .thenThrows('person.already-released'));
    it('refuses a new imprisonment before a re-arrest', () =>
      given(...history)
        .when(when(imprisoned))
        .thenThrows('person.not-re-arrested'));
    it('records a deportation', () =>
      given(...history)
        .when(when(deported))
        .then(deported));
    it('records a detention condition reported after the release', () =>
      given(...history)
        .when(when(conditionReported))
        .then(conditionReported));
    it('refuses a return attempt: person.not-deported', () =>
      given(...history)
        .when(when(returnRefused))
        .thenThrows('person.not-deported'));
    it('records a re-arrest', () =>
      given(...history)
        .when(when(rearrested))
        .then(rearrested));
  });

  describe('given a deported person', () => {
    const history = [registered, imprisoned, released, deported];
    it('refuses the same deportation twice', () =>
      given(...history)
        .when(when(deported))
        .thenThrows('person.already-deported'));
    it('refuses a second release', () =>
      given(...history)
        .when(when(released))
        .thenThrows('person.already-released'));
    it.each([returnRefused, returnCrossed, returnUnknown])('records a return attempt ($data.outcome)', (attempt) =>
      given(...history)
        .when(when(attempt))
        .then(attempt),
    );
    it('records a re-arrest', () =>
      given(...history)
        .when(when(rearrested))
        .then(rearrested));
  });

  describe('given a person whose return was refused', () => {
    const history = [registered, imprisoned, released, deported, returnRefused];
    it('records another attempt', () =>
      given(...history)
        .when(when(returnRefused))
        .then(returnRefused));
    it('records a crossing', () =>
      given(...history)
        .when(when(returnCrossed))
        .then(returnCrossed));
  });

  describe('given a person who crossed home', () => {
    const history = [registered, imprisoned, released, deported, returnCrossed];
    it('refuses another return attempt: person.already-home', () =>
      given(...history)
        .when(when(returnRefused))
        .thenThrows('person.already-home'));
    it('records a re-arrest', () =>
      given(...history)
        .when(when(rearrested))
        .then(rearrested));
  });

  describe('given a person with whom contact is lost', () => {
    const history = [registered, imprisoned, released, deported, returnUnknown, contactLost];
    it('refuses a second loss of contact', () =>
      given(...history)
        .when(when(contactLost))
        .thenThrows('person.contact-already-lost'));
    it('records the re-established contact', () =>
      given(...history)
        .when(when(contactReestablished))
        .then(contactReestablished));
    it('records a re-arrest', () =>
      given(...history)
        .when(when(rearrested))
        .then(rearrested));
    it('records a release learnt of while contact is lost', () =>
      given(registered, imprisoned, contactLost).when(when(released)).then(released));
  });

  describe('given a person with whom contact was re-established', () => {
    const history = [registered, imprisoned, released, contactLost, contactReestablished];
    it('records a later contact too', () =>
      given(...history)
        .when(when(contactReestablished))
        .then(contactReestablished));
    it('records a new loss of contact', () =>
      given(...history)
        .when(when(contactLost))
        .then(contactLost));
  });

  describe('given a re-arrested person', () => {
    it('refuses a second re-arrest', () =>
      given(registered, imprisoned, released, rearrested).when(when(rearrested)).thenThrows('person.already-re-arrested'));
    it('refuses a return attempt: person.re-arrested', () =>
      given(registered, imprisoned, released, deported, rearrested).when(when(returnRefused)).thenThrows('person.re-arrested'));
    it('refuses a deportation: person.re-arrested', () =>
      given(registered, imprisoned, released, rearrested).when(when(deported)).thenThrows('person.re-arrested'));
    it('refuses a release before the new imprisonment: person.not-imprisoned', () =>
      given(registered, imprisoned, released, rearrested).when(when(released)).thenThrows('person.not-imprisoned'));
    it('records a new imprisonment: the next custody episode', () =>
      given(registered, imprisoned, released, rearrested).when(when(secondImprisonment)).then(secondImprisonment));
    it('records a lost contact', () => given(registered, imprisoned, released, rearrested).when(when(contactLost)).then(contactLost));
    it('records a detention condition', () =>
      given(registered, imprisoned, released, rearrested).when(when(conditionReported)).then(conditionReported));
  });

  describe('given a person in a second custody episode', () => {
    const firstEpisode = [registered, imprisoned, released, deported, returnRefused, rearrested];
    const history = [...firstEpisode, secondImprisonment];
    it('refuses a third imprisonment while imprisoned', () =>
      given(...history)
        .when(when(secondImprisonment))
        .thenThrows('person.already-imprisoned'));
    it('records the new release', () =>
      given(...history)
        .when(when(secondRelease))
        .then(secondRelease));
    it('refuses a deportation before the new release', () =>
      given(...history)
        .when(when(deported))
        .thenThrows('person.not-released'));
    it('records a second deportation after the new release', () =>
      given(...history, secondRelease)
        .when(when(deported))
        .then(deported));
    it('records a return attempt after the second deportation', () =>
      given(...history, secondRelease, deported)
        .when(when(returnRefused))
        .then(returnRefused));
    it('records a detention condition of the new imprisonment', () =>
      given(...history)
        .when(when(conditionReported))
        .then(conditionReported));
  });

  describe('the sentence left at release', () => {
    const unstated = { ...released.data, daysOfSentenceRemaining: 0 };
    it('keeps the days the release states, even against the record', () =>
      given(registered, imprisoned).when(when(released)).then(released));
    it("derives them from the imprisonment's expected release when not stated", () =>
      given(registered, imprisoned)
        .when({ type: 'RecordRelease', data: unstated })
        .then({ type: 'PrisonerReleased', data: { ...unstated, daysOfSentenceRemaining: 142, sentenceRemainingSource: 'derived' } }));
    it('derives 0 when the expected release has passed', () =>
      given(registered, { type: 'ImprisonmentRecorded', data: { ...imprisoned.data, expectedRelease: '2025-01-31' } })
        .when({ type: 'RecordRelease', data: unstated })
        .then({ type: 'PrisonerReleased', data: { ...unstated, daysOfSentenceRemaining: 0, sentenceRemainingSource: 'derived' } }));
    it('leaves them unknown when the record has no expected release', () =>
      given(registered, { type: 'ImprisonmentRecorded', data: { ...imprisoned.data, sentenceMonths: 0, expectedRelease: '' } })
        .when({ type: 'RecordRelease', data: unstated })
        .then({ type: 'PrisonerReleased', data: { ...unstated, sentenceRemainingSource: '' } }));
    it("derives from the current episode's imprisonment, not the first one", () =>
      given(registered, imprisoned, released, rearrested, secondImprisonment)
        .when({ type: 'RecordRelease', data: { ...secondRelease.data, daysOfSentenceRemaining: 0 } })
        .then(secondReleaseDerived));
  });

  describe('erasure', () => {
    it('forgets a registered person', () => given(registered).when(when(forgotten)).then(forgotten));
    it('forgets a person at any point of the story', () =>
      given(registered, imprisoned, released, deported, contactLost).when(when(forgotten)).then(forgotten));
    it('refuses to forget nobody: person.not-registered', () => given().when(when(forgotten)).thenThrows('person.not-registered'));
    it('refuses a second erasure: person.forgotten', () =>
      given(registered, forgotten).when(when(forgotten)).thenThrows('person.forgotten'));
    it.each([imprisoned, conditionReported, contactLost, registered])('refuses %# on a forgotten person: person.forgotten', (event) =>
      given(registered, forgotten).when(when(event)).thenThrows('person.forgotten'),
    );
  });
});
