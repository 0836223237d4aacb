import { assertNever, ruleViolated, type Decider } from '@homeward/decider';
import type { PersonCommand } from './person.commands.js';
import type { PersonEvent } from './person.events.js';
import { statusAfter, type PersonStatus } from './person.status.js';

export interface PersonState {
  status: PersonStatus;
  released: boolean;
  deported: boolean;
}

export const initialPersonState = (): PersonState => ({ status: 'unregistered', released: false, deported: false });

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  const status = statusAfter(state.status, event);
  switch (event.type) {
    case 'PersonRegistered':
      return { ...state, status };
    case 'PrisonerReleased':
      return { ...state, status, released: true };
    case 'PrisonerDeported':
      return { ...state, status, deported: true };
    default:
      return assertNever(event);
  }
}

export function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (command.type) {
    case 'RegisterPerson':
      if (state.status !== 'unregistered') throw ruleViolated('person.already-registered', 'this person is already registered');
      return [{ type: 'PersonRegistered', data: command.data }];
    case 'RecordRelease':
      if (state.status === 'unregistered') throw ruleViolated('person.not-registered', 'register the person before recording a release');
      if (state.released) throw ruleViolated('person.already-released', 'this person has already been released');
      return [{ type: 'PrisonerReleased', data: command.data }];
    case 'RecordDeportation':
      if (state.status === 'unregistered') throw ruleViolated('person.not-registered', 'register the person before recording a deportation');
      if (!state.released) throw ruleViolated('person.not-released', 'a deportation follows a release; record the release first');
      if (state.deported) throw ruleViolated('person.already-deported', 'this deportation is already recorded');
      return [{ type: 'PrisonerDeported', data: command.data }];
    default:
      return assertNever(command);
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = { decide, evolve, initialState: initialPersonState };
