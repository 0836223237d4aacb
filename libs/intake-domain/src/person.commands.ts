import type { PersonEvent } from './person.events.js';

type DataOf<T extends PersonEvent['type']> = Extract<PersonEvent, { type: T }>['data'];

export type RegisterPerson = { type: 'RegisterPerson'; data: DataOf<'PersonRegistered'> };
/** `expectedRelease` may be "": the decider computes it from the start and the months when both are known. */
export type RecordImprisonment = { type: 'RecordImprisonment'; data: DataOf<'ImprisonmentRecorded'> };
export type ReportDetentionCondition = { type: 'ReportDetentionCondition'; data: DataOf<'DetentionConditionReported'> };
/** `daysOfSentenceRemaining` 0 means not stated: the decider derives it from the imprisonment when it can. */
export type RecordRelease = { type: 'RecordRelease'; data: Omit<DataOf<'PrisonerReleased'>, 'sentenceRemainingSource'> };
export type RecordDeportation = { type: 'RecordDeportation'; data: DataOf<'PrisonerDeported'> };
export type RecordReturnAttempt = { type: 'RecordReturnAttempt'; data: DataOf<'ReturnAttempted'> };
export type RecordContactLost = { type: 'RecordContactLost'; data: DataOf<'ContactLost'> };
export type RecordContactReestablished = { type: 'RecordContactReestablished'; data: DataOf<'ContactReestablished'> };
export type ReportRearrest = { type: 'ReportRearrest'; data: DataOf<'RearrestReported'> };
/** `forgottenAt` is the command's time, given by the service. */
export type ForgetPerson = { type: 'ForgetPerson'; data: DataOf<'PersonForgotten'> };

export type PersonCommand =
  | RegisterPerson
  | RecordImprisonment
  | ReportDetentionCondition
  | RecordRelease
  | RecordDeportation
  | RecordReturnAttempt
  | RecordContactLost
  | RecordContactReestablished
  | ReportRearrest
  | ForgetPerson;
export type PersonCommandType = PersonCommand['type'];
