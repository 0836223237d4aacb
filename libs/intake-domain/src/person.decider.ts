import { assertNever, ruleViolated, type Decider } from '@homeward/decider';
import { addMonths, daysBetween } from './calendar.js';
import type {
  PersonCommand,
  RecordDeportation,
  RecordImprisonment,
  RecordRelease,
  RecordReturnAttempt,
  ReportDetentionCondition,
  ReportRearrest,
} from './person.commands.js';
import type { PersonEvent, PrisonerReleased } from './person.events.js';

/** Where a released person is: not deported (yet), deported, outside after a return attempt, or back home across the border. */
type Exile = 'not-deported' | 'in-exile' | 'return-attempted' | 'home';

/**
 * What the rules need to know about a person: the lifecycle state they are in. A life is a
 * sequence of custody episodes: an imprisonment, a release, perhaps a deportation and return
 * attempts, and a re-arrest, after which a new imprisonment begins the next episode. After an
 * erasure every command is refused, a repeated erasure included. Contact may be lost in any phase
 * of a registered person; only the imprisoned state knows the episode's expected release ("" when
 * unknown), only the released one how far the exile has gone. (The status a reader sees is derived
 * from the same events in person.status.ts.)
 */
export type PersonState =
  | { phase: 'unregistered' }
  | { phase: 'registered'; contactLost: boolean }
  | { phase: 'imprisoned'; contactLost: boolean; expectedRelease: string }
  | { phase: 'released'; contactLost: boolean; exile: Exile }
  | { phase: 're-arrested'; contactLost: boolean }
  | { phase: 'forgotten' };

/** A registered person who has not been erased: the states in which commands are decided one by one. */
type Recorded = Exclude<PersonState, { phase: 'unregistered' | 'forgotten' }>;

export const initialPersonState = (): PersonState => ({ phase: 'unregistered' });

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  if (state.phase === 'forgotten') return state;
  const contactLost = state.phase !== 'unregistered' && state.contactLost;
  switch (event.type) {
    case 'PersonRegistered':
      return { phase: 'registered', contactLost };
    case 'ImprisonmentRecorded':
      return { phase: 'imprisoned', contactLost, expectedRelease: event.data.expectedRelease };
    case 'PrisonerReleased':
      return { phase: 'released', contactLost, exile: 'not-deported' };
    case 'PrisonerDeported':
      return { phase: 'released', contactLost, exile: 'in-exile' };
    case 'ReturnAttempted':
      return { phase: 'released', contactLost, exile: event.data.outcome === 'crossed' ? 'home' : 'return-attempted' };
    case 'RearrestReported':
      return { phase: 're-arrested', contactLost };
    case 'ContactLost':
    case 'ContactReestablished':
      return state.phase === 'unregistered' ? state : { ...state, contactLost: event.type === 'ContactLost' };
    case 'PersonForgotten':
      return { phase: 'forgotten' };
    case 'DetentionConditionReported':
      return state;
    default:
      return assertNever(event);
  }
}

const refuse = ruleViolated;

/** A new custody episode's imprisonment, its expected release computed when it is not given. */
function imprisonmentRecorded(data: RecordImprisonment['data']): PersonEvent {
  const expectedRelease =
    data.expectedRelease || (data.sentenceStart && data.sentenceMonths > 0 ? addMonths(data.sentenceStart, data.sentenceMonths) : '');
  if (data.sentenceStart && expectedRelease && expectedRelease < data.sentenceStart) {
    throw refuse('imprisonment.release-before-start', 'the expected release date is before the sentence start');
  }
  return { type: 'ImprisonmentRecorded', data: { ...data, expectedRelease } };
}

function imprisonment({ data }: RecordImprisonment, state: Recorded): PersonEvent {
  switch (state.phase) {
    case 'imprisoned':
      throw refuse('person.already-imprisoned', 'this person is imprisoned; record the release before a new imprisonment');
    case 'released':
      throw refuse('person.not-re-arrested', 'a new imprisonment follows a re-arrest; record the re-arrest first');
    case 'registered':
    case 're-arrested':
      return imprisonmentRecorded(data);
    default:
      return assertNever(state);
  }
}

function conditionReported(data: ReportDetentionCondition['data']): PersonEvent {
  if (data.periodFrom && data.periodTo && data.periodTo < data.periodFrom)
    throw refuse('detention-condition.period-reversed', 'the period ends before it starts');
  return { type: 'DetentionConditionReported', data };
}

function detentionCondition({ data }: ReportDetentionCondition, state: Recorded): PersonEvent {
  switch (state.phase) {
    case 'registered':
      throw refuse('person.not-imprisoned', 'detention conditions need a recorded imprisonment');
    case 'imprisoned':
    case 'released':
    case 're-arrested':
      return conditionReported(data);
    default:
      return assertNever(state);
  }
}

/**
 * The sentence left at release: as stated with the release, else derived from the episode's
 * expected release date (0 once it has passed), else unknown.
 */
export function sentenceRemaining(
  stated: number,
  expectedRelease: string,
  releasedAt: string,
): Pick<PrisonerReleased['data'], 'daysOfSentenceRemaining' | 'sentenceRemainingSource'> {
  if (stated > 0) return { daysOfSentenceRemaining: stated, sentenceRemainingSource: 'stated' };
  if (!expectedRelease || !releasedAt) return { daysOfSentenceRemaining: 0, sentenceRemainingSource: '' };
  return { daysOfSentenceRemaining: Math.max(0, daysBetween(releasedAt, expectedRelease)), sentenceRemainingSource: 'derived' };
}

function release({ data }: RecordRelease, state: Recorded): PersonEvent {
  switch (state.phase) {
    case 'registered':
      throw refuse('person.not-imprisoned', 'a release follows an imprisonment; record the imprisonment first');
    case 're-arrested':
      throw refuse('person.not-imprisoned', 'a re-arrested person is released from a new imprisonment; record it first');
    case 'released':
      throw refuse('person.already-released', 'this person has already been released');
    case 'imprisoned':
      return {
        type: 'PrisonerReleased',
        data: { ...data, ...sentenceRemaining(data.daysOfSentenceRemaining, state.expectedRelease, data.releasedAt) },
      };
    default:
      return assertNever(state);
  }
}

function deportation({ data }: RecordDeportation, state: Recorded): PersonEvent {
  switch (state.phase) {
    case 're-arrested':
      throw refuse('person.re-arrested', 'this person has been re-arrested');
    case 'registered':
    case 'imprisoned':
      throw refuse('person.not-released', 'a deportation follows a release; record the release first');
    case 'released':
      if (state.exile !== 'not-deported') throw refuse('person.already-deported', 'this deportation is already recorded');
      return { type: 'PrisonerDeported', data };
    default:
      return assertNever(state);
  }
}

const notDeported = () => refuse('person.not-deported', 'a return attempt follows a deportation; record the deportation first');

function returnAttempt({ data }: RecordReturnAttempt, state: Recorded): PersonEvent {
  switch (state.phase) {
    case 're-arrested':
      throw refuse('person.re-arrested', 'this person has been re-arrested');
    case 'registered':
    case 'imprisoned':
      throw notDeported();
    case 'released':
      return returnFromExile(data, state.exile);
    default:
      return assertNever(state);
  }
}

function returnFromExile(data: RecordReturnAttempt['data'], exile: Exile): PersonEvent {
  switch (exile) {
    case 'home':
      throw refuse('person.already-home', 'this person has already crossed home');
    case 'not-deported':
      throw notDeported();
    case 'in-exile':
    case 'return-attempted':
      return { type: 'ReturnAttempted', data };
    default:
      return assertNever(exile);
  }
}

function rearrest({ data }: ReportRearrest, state: Recorded): PersonEvent {
  switch (state.phase) {
    case 're-arrested':
      throw refuse('person.already-re-arrested', 'this re-arrest is already recorded');
    case 'registered':
    case 'imprisoned':
      throw refuse('person.not-released', 'a re-arrest follows a release; record the release first');
    case 'released':
      return { type: 'RearrestReported', data };
    default:
      return assertNever(state);
  }
}

/** A registered, unerased person: each command by its own rule. */
function decideRecorded(command: PersonCommand, state: Recorded): PersonEvent {
  switch (command.type) {
    case 'RegisterPerson':
      throw refuse('person.already-registered', 'this person is already registered');
    case 'RecordImprisonment':
      return imprisonment(command, state);
    case 'ReportDetentionCondition':
      return detentionCondition(command, state);
    case 'RecordRelease':
      return release(command, state);
    case 'RecordDeportation':
      return deportation(command, state);
    case 'RecordReturnAttempt':
      return returnAttempt(command, state);
    case 'RecordContactLost':
      if (state.contactLost) throw refuse('person.contact-already-lost', 'contact with this person is already recorded as lost');
      return { type: 'ContactLost', data: command.data };
    case 'RecordContactReestablished':
      // A contact is a fact whenever it happens: it ends a loss of contact if there is one, and
      // clears every open welfare concern (after a return attempt too) in notifications.
      return { type: 'ContactReestablished', data: command.data };
    case 'ReportRearrest':
      return rearrest(command, state);
    case 'ForgetPerson':
      return { type: 'PersonForgotten', data: command.data };
    default:
      return assertNever(command);
  }
}

export function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (state.phase) {
    case 'unregistered':
      if (command.type !== 'RegisterPerson') throw refuse('person.not-registered', 'register the person first');
      return [{ type: 'PersonRegistered', data: command.data }];
    case 'forgotten':
      throw refuse('person.forgotten', 'this person has been erased; nothing more can be recorded');
    case 'registered':
    case 'imprisoned':
    case 'released':
    case 're-arrested':
      return [decideRecorded(command, state)];
    default:
      return assertNever(state);
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = { decide, evolve, initialState: initialPersonState };
