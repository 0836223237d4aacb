import type { PersonEvent } from './person.events.js';

type DataOf<T extends PersonEvent['type']> = Extract<PersonEvent, { type: T }>['data'];

export type RegisterPerson = { type: 'RegisterPerson'; data: DataOf<'PersonRegistered'> };
export type RecordRelease = { type: 'RecordRelease'; data: DataOf<'PrisonerReleased'> };
export type RecordDeportation = { type: 'RecordDeportation'; data: DataOf<'PrisonerDeported'> };

export type PersonCommand = RegisterPerson | RecordRelease | RecordDeportation;
