import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { PersonEvent } from './person.events.js';
import { personDecider } from './person.decider.js';

const given = specFor(personDecider);
const personId = '0190a000-0000-7000-8000-000000000001';

const registered: PersonEvent = {
  type: 'PersonRegistered',
  data: { personId, fullName: 'Ales Testovich', aliases: [], birthDate: '1980-01-01', citizenships: ['BY'], foreignNational: false, occupation: 'journalist' },
};
const released: PersonEvent = {
  type: 'PrisonerReleased',
  data: { personId, releasedAt: '2025-09-11T08:00:00.000Z', mechanism: 'brokered', batchId: 'batch-2025-09-11', daysOfSentenceRemaining: 120 },
};
const deported: PersonEvent = {
  type: 'PrisonerDeported',
  data: { personId, deportedAt: '2025-09-11T14:00:00.000Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: 'Kamenny Log', consented: false },
};

describe('person decider', () => {
  describe('given nobody', () => {
    it('registers a person', () => given().when({ type: 'RegisterPerson', data: registered.data }).then(registered));
    it('refuses a release', () => given().when({ type: 'RecordRelease', data: released.data }).thenThrows('person.not-registered'));
    it('refuses a deportation', () => given().when({ type: 'RecordDeportation', data: deported.data }).thenThrows('person.not-registered'));
  });

  describe('given a registered person', () => {
    it('refuses a second registration', () => given(registered).when({ type: 'RegisterPerson', data: registered.data }).thenThrows('person.already-registered'));
    it('records a release', () => given(registered).when({ type: 'RecordRelease', data: released.data }).then(released));
    it('refuses a deportation before release', () => given(registered).when({ type: 'RecordDeportation', data: deported.data }).thenThrows('person.not-released'));
  });

  describe('given a released person', () => {
    it('refuses a second release', () => given(registered, released).when({ type: 'RecordRelease', data: released.data }).thenThrows('person.already-released'));
    it('records a deportation', () => given(registered, released).when({ type: 'RecordDeportation', data: deported.data }).then(deported));
  });

  describe('given a deported person', () => {
    it('refuses the same deportation twice', () =>
      given(registered, released, deported).when({ type: 'RecordDeportation', data: deported.data }).thenThrows('person.already-deported'));
  });
});
