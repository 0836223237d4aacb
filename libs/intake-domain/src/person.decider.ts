import { assertNever, ruleViolated, type Decider } from '@homeward/decider';
import { addMonths } from './calendar.js';
import type { PersonCommand, RecordImprisonment } from './person.commands.js';
import type { PersonEvent } from './person.events.js';
import { initialStatusTrack, statusOf, trackStatus, type PersonStatus, type StatusTrack } from './person.status.js';

/**
 * What the rules need to know about a person. A release needs a recorded imprisonment (the batch
 * import records one for every row, with whatever is known); a re-arrested person's story stops
 * here in v1: no second imprisonment, release, deportation or return attempt.
 */
export interface PersonState {
  track: StatusTrack;
  status: PersonStatus;
  imprisoned: boolean;
  released: boolean;
  deported: boolean;
  /** Erased: every later command is refused, a repeated erasure included. */
  forgotten: boolean;
}

export const initialPersonState = (): PersonState => ({
  track: initialStatusTrack(),
  status: 'unregistered',
  imprisoned: false,
  released: false,
  deported: false,
  forgotten: false,
});

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  const track = trackStatus(state.track, event);
  const next = { ...state, track, status: statusOf(track) };
  switch (event.type) {
    case 'ImprisonmentRecorded':
      return { ...next, imprisoned: true };
    case 'PrisonerReleased':
      return { ...next, released: true };
    case 'PrisonerDeported':
      return { ...next, deported: true };
    case 'PersonForgotten':
      return { ...next, forgotten: true };
    case 'PersonRegistered':
    case 'DetentionConditionReported':
    case 'ReturnAttempted':
    case 'ContactLost':
    case 'ContactReestablished':
    case 'RearrestReported':
      return next;
    default:
      return assertNever(event);
  }
}

const refuse = ruleViolated;

function imprisonment({ data }: RecordImprisonment): PersonEvent {
  const expectedRelease = data.expectedRelease || (data.sentenceStart && data.sentenceMonths > 0 ? addMonths(data.sentenceStart, data.sentenceMonths) : '');
  if (data.sentenceStart && expectedRelease && expectedRelease < data.sentenceStart) {
    throw refuse('imprisonment.release-before-start', 'the expected release date is before the sentence start');
  }
  return { type: 'ImprisonmentRecorded', data: { ...data, expectedRelease } };
}

export function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  const { phase, contactLost } = state.track;
  if (command.type !== 'RegisterPerson' && phase === 'unregistered') {
    throw refuse('person.not-registered', 'register the person first');
  }
  if (state.forgotten) throw refuse('person.forgotten', 'this person has been erased; nothing more can be recorded');
  switch (command.type) {
    case 'RegisterPerson':
      if (phase !== 'unregistered') throw refuse('person.already-registered', 'this person is already registered');
      return [{ type: 'PersonRegistered', data: command.data }];

    case 'RecordImprisonment':
      if (state.imprisoned) throw refuse('person.already-imprisoned', 'an imprisonment is already recorded for this person');
      return [imprisonment(command)];

    case 'ReportDetentionCondition': {
      if (!state.imprisoned) throw refuse('person.not-imprisoned', 'detention conditions need a recorded imprisonment');
      const { periodFrom, periodTo } = command.data;
      if (periodFrom && periodTo && periodTo < periodFrom) throw refuse('detention-condition.period-reversed', 'the period ends before it starts');
      return [{ type: 'DetentionConditionReported', data: command.data }];
    }

    case 'RecordRelease':
      if (!state.imprisoned) throw refuse('person.not-imprisoned', 'a release follows an imprisonment; record the imprisonment first');
      if (state.released) throw refuse('person.already-released', 'this person has already been released');
      return [{ type: 'PrisonerReleased', data: command.data }];

    case 'RecordDeportation':
      if (!state.released) throw refuse('person.not-released', 'a deportation follows a release; record the release first');
      if (state.deported) throw refuse('person.already-deported', 'this deportation is already recorded');
      if (phase === 're-arrested') throw refuse('person.re-arrested', 'this person has been re-arrested');
      return [{ type: 'PrisonerDeported', data: command.data }];

    case 'RecordReturnAttempt':
      if (!state.deported) throw refuse('person.not-deported', 'a return attempt follows a deportation; record the deportation first');
      if (phase === 'home') throw refuse('person.already-home', 'this person has already crossed home');
      if (phase === 're-arrested') throw refuse('person.re-arrested', 'this person has been re-arrested');
      return [{ type: 'ReturnAttempted', data: command.data }];

    case 'RecordContactLost':
      if (contactLost) throw refuse('person.contact-already-lost', 'contact with this person is already recorded as lost');
      return [{ type: 'ContactLost', data: command.data }];

    case 'RecordContactReestablished':
      if (!contactLost) throw refuse('person.contact-not-lost', 'contact with this person is not recorded as lost');
      return [{ type: 'ContactReestablished', data: command.data }];

    case 'ReportRearrest':
      if (!state.released) throw refuse('person.not-released', 'a re-arrest follows a release; record the release first');
      if (phase === 're-arrested') throw refuse('person.already-re-arrested', 'this re-arrest is already recorded');
      return [{ type: 'RearrestReported', data: command.data }];

    case 'ForgetPerson':
      return [{ type: 'PersonForgotten', data: command.data }];

    default:
      return assertNever(command);
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = { decide, evolve, initialState: initialPersonState };
