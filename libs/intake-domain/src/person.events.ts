// Intake's events. Their data are the versioned contracts from proto/, so what is stored, hashed
// and published is exactly what the contract says.
import type { intakeEvents } from '@homeward/contracts';
import { personEventTypes as contractEventTypes } from '@homeward/vocabulary';

export type PersonRegistered = { type: 'PersonRegistered'; data: intakeEvents.PersonRegistered };
export type ImprisonmentRecorded = { type: 'ImprisonmentRecorded'; data: intakeEvents.ImprisonmentRecorded };
export type DetentionConditionReported = { type: 'DetentionConditionReported'; data: intakeEvents.DetentionConditionReported };
export type PrisonerReleased = { type: 'PrisonerReleased'; data: intakeEvents.PrisonerReleased };
export type PrisonerDeported = { type: 'PrisonerDeported'; data: intakeEvents.PrisonerDeported };
export type ReturnAttempted = { type: 'ReturnAttempted'; data: intakeEvents.ReturnAttempted };
export type ContactLost = { type: 'ContactLost'; data: intakeEvents.ContactLost };
export type ContactReestablished = { type: 'ContactReestablished'; data: intakeEvents.ContactReestablished };
export type RearrestReported = { type: 'RearrestReported'; data: intakeEvents.RearrestReported };
/** Erasure: the person's key is destroyed with it; earlier events stay, their personal fields unreadable. */
export type PersonForgotten = { type: 'PersonForgotten'; data: intakeEvents.PersonForgotten };

/** What happens to one person, on the stream `person-<personId>`. */
export type PersonEvent =
  | PersonRegistered
  | ImprisonmentRecorded
  | DetentionConditionReported
  | PrisonerReleased
  | PrisonerDeported
  | ReturnAttempted
  | ContactLost
  | ContactReestablished
  | RearrestReported
  | PersonForgotten;
export type PersonEventType = PersonEvent['type'];

/** The contract's list of this stream's event types (legal consumes the same list). */
export const personEventTypes = contractEventTypes satisfies readonly PersonEventType[];

export const personStreamId = (personId: string) => `person-${personId}`;
