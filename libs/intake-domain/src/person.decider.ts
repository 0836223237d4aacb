import { assertNever, ruleViolated, type Decider } from '@homeward/decider';
import { addMonths, daysBetween } from './calendar.js';
import type { PersonCommand, RecordImprisonment, RecordRelease } from './person.commands.js';
import type { PersonEvent, PrisonerReleased } from './person.events.js';
import { initialStatusTrack, statusOf, trackStatus, type PersonPhase, type PersonStatus, type StatusTrack } from './person.status.js';

/**
 * What the rules need to know about a person. A life is a sequence of custody episodes: an
 * imprisonment, a release, perhaps a deportation and return attempts, and a re-arrest, after
 * which a new imprisonment begins the next episode. Which step may follow which is read off the
 * phase (person.status.ts); the episode count and the current episode's expected release are
 * kept for the rules that need them.
 */
export interface PersonState {
  track: StatusTrack;
  status: PersonStatus;
  /** Imprisonments recorded: 0 before the first, then the current episode's number. */
  episodes: number;
  /** The current episode's expected release date, "" when unknown. */
  expectedRelease: string;
  /** Erased: every later command is refused, a repeated erasure included. */
  forgotten: boolean;
}

export const initialPersonState = (): PersonState => ({
  track: initialStatusTrack(),
  status: 'unregistered',
  episodes: 0,
  expectedRelease: '',
  forgotten: false,
});

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  const track = trackStatus(state.track, event);
  const next = { ...state, track, status: statusOf(track) };
  switch (event.type) {
    case 'ImprisonmentRecorded':
      return { ...next, episodes: state.episodes + 1, expectedRelease: event.data.expectedRelease };
    case 'PersonForgotten':
      return { ...next, forgotten: true };
    case 'PersonRegistered':
    case 'DetentionConditionReported':
    case 'PrisonerReleased':
    case 'PrisonerDeported':
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

/** Phases in which the person is at liberty after a release: free to be deported, to try to return, or to be re-arrested. */
const atLiberty: readonly PersonPhase[] = ['released', 'in-exile', 'return-attempted', 'home'];
const afterDeportation: readonly PersonPhase[] = ['in-exile', 'return-attempted', 'home'];

function imprisonment({ data }: RecordImprisonment, { phase }: StatusTrack): PersonEvent {
  if (phase === 'imprisoned') throw refuse('person.already-imprisoned', 'this person is imprisoned; record the release before a new imprisonment');
  if (atLiberty.includes(phase)) throw refuse('person.not-re-arrested', 'a new imprisonment follows a re-arrest; record the re-arrest first');
  const expectedRelease = data.expectedRelease || (data.sentenceStart && data.sentenceMonths > 0 ? addMonths(data.sentenceStart, data.sentenceMonths) : '');
  if (data.sentenceStart && expectedRelease && expectedRelease < data.sentenceStart) {
    throw refuse('imprisonment.release-before-start', 'the expected release date is before the sentence start');
  }
  return { type: 'ImprisonmentRecorded', data: { ...data, expectedRelease } };
}

/**
 * The sentence left at release: as stated with the release, else derived from the episode's
 * expected release date (0 once it has passed), else unknown.
 */
export function sentenceRemaining(stated: number, expectedRelease: string, releasedAt: string): Pick<PrisonerReleased['data'], 'daysOfSentenceRemaining' | 'sentenceRemainingSource'> {
  if (stated > 0) return { daysOfSentenceRemaining: stated, sentenceRemainingSource: 'stated' };
  if (!expectedRelease || !releasedAt) return { daysOfSentenceRemaining: 0, sentenceRemainingSource: '' };
  return { daysOfSentenceRemaining: Math.max(0, daysBetween(releasedAt, expectedRelease)), sentenceRemainingSource: 'derived' };
}

function release({ data }: RecordRelease, { track, expectedRelease }: PersonState): PersonEvent {
  if (track.phase === 'registered') throw refuse('person.not-imprisoned', 'a release follows an imprisonment; record the imprisonment first');
  if (track.phase === 're-arrested') throw refuse('person.not-imprisoned', 'a re-arrested person is released from a new imprisonment; record it first');
  if (track.phase !== 'imprisoned') throw refuse('person.already-released', 'this person has already been released');
  return { type: 'PrisonerReleased', data: { ...data, ...sentenceRemaining(data.daysOfSentenceRemaining, expectedRelease, data.releasedAt) } };
}

export function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  const { phase } = state.track;
  if (command.type !== 'RegisterPerson' && phase === 'unregistered') {
    throw refuse('person.not-registered', 'register the person first');
  }
  if (state.forgotten) throw refuse('person.forgotten', 'this person has been erased; nothing more can be recorded');
  switch (command.type) {
    case 'RegisterPerson':
      if (phase !== 'unregistered') throw refuse('person.already-registered', 'this person is already registered');
      return [{ type: 'PersonRegistered', data: command.data }];

    case 'RecordImprisonment':
      return [imprisonment(command, state.track)];

    case 'ReportDetentionCondition': {
      if (state.episodes === 0) throw refuse('person.not-imprisoned', 'detention conditions need a recorded imprisonment');
      const { periodFrom, periodTo } = command.data;
      if (periodFrom && periodTo && periodTo < periodFrom) throw refuse('detention-condition.period-reversed', 'the period ends before it starts');
      return [{ type: 'DetentionConditionReported', data: command.data }];
    }

    case 'RecordRelease':
      return [release(command, state)];

    case 'RecordDeportation':
      if (phase === 're-arrested') throw refuse('person.re-arrested', 'this person has been re-arrested');
      if (afterDeportation.includes(phase)) throw refuse('person.already-deported', 'this deportation is already recorded');
      if (phase !== 'released') throw refuse('person.not-released', 'a deportation follows a release; record the release first');
      return [{ type: 'PrisonerDeported', data: command.data }];

    case 'RecordReturnAttempt':
      if (phase === 'home') throw refuse('person.already-home', 'this person has already crossed home');
      if (phase === 're-arrested') throw refuse('person.re-arrested', 'this person has been re-arrested');
      if (phase !== 'in-exile' && phase !== 'return-attempted') {
        throw refuse('person.not-deported', 'a return attempt follows a deportation; record the deportation first');
      }
      return [{ type: 'ReturnAttempted', data: command.data }];

    case 'RecordContactLost':
      if (state.track.contactLost) throw refuse('person.contact-already-lost', 'contact with this person is already recorded as lost');
      return [{ type: 'ContactLost', data: command.data }];

    case 'RecordContactReestablished':
      // A contact is a fact whenever it happens: it ends a loss of contact if there is one, and
      // clears every open welfare concern (after a return attempt too) in notifications.
      return [{ type: 'ContactReestablished', data: command.data }];

    case 'ReportRearrest':
      if (phase === 're-arrested') throw refuse('person.already-re-arrested', 'this re-arrest is already recorded');
      if (!atLiberty.includes(phase)) throw refuse('person.not-released', 'a re-arrest follows a release; record the release first');
      return [{ type: 'RearrestReported', data: command.data }];

    case 'ForgetPerson':
      return [{ type: 'PersonForgotten', data: command.data }];

    default:
      return assertNever(command);
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = { decide, evolve, initialState: initialPersonState };
