// Intake's events. Their data are the versioned contracts from proto/, so what is stored, hashed
// and published is exactly what the contract says.
import type { intakeEvents } from '@homeward/contracts';

export type PersonRegistered = { type: 'PersonRegistered'; data: intakeEvents.PersonRegistered };
export type PrisonerReleased = { type: 'PrisonerReleased'; data: intakeEvents.PrisonerReleased };
export type PrisonerDeported = { type: 'PrisonerDeported'; data: intakeEvents.PrisonerDeported };

export type PersonEvent = PersonRegistered | PrisonerReleased | PrisonerDeported;
export type PersonEventType = PersonEvent['type'];

export const personStreamId = (personId: string) => `person-${personId}`;
