// Invented people and facts for the intake tests (never real names).
import { assertNever } from '@homeward/decider';
import type { PersonCommand } from './person.commands.js';
import type { PersonEvent } from './person.events.js';

export const personId = '0190a000-0000-7000-8000-000000000001';

export const registered = {
  type: 'PersonRegistered',
  data: {
    personId,
    fullName: 'Ales Testovich',
    aliases: [],
    birthDate: '1980-01-01',
    citizenships: ['BY'],
    foreignNational: false,
    occupation: 'journalist',
    batchId: '',
  },
} satisfies PersonEvent;
export const imprisoned = {
  type: 'ImprisonmentRecorded',
  data: {
    personId,
    charges: ['art-342'],
    sentenceMonths: 36,
    sentenceStart: '2023-01-31',
    expectedRelease: '2026-01-31',
    facility: 'IK-15',
  },
} satisfies PersonEvent;
export const conditionReported = {
  type: 'DetentionConditionReported',
  data: {
    personId,
    kind: 'solitary-confinement',
    periodFrom: '2024-01-01',
    periodTo: '2024-12-31',
    account: 'Held alone for a year (invented account).',
  },
} satisfies PersonEvent;
export const released = {
  type: 'PrisonerReleased',
  data: {
    personId,
    releasedAt: '2025-09-11T08:00:00.000Z',
    mechanism: 'brokered',
    batchId: 'batch-2025-09-11',
    daysOfSentenceRemaining: 120,
    sentenceRemainingSource: 'stated',
  },
} satisfies PersonEvent;
export const deported = {
  type: 'PrisonerDeported',
  data: {
    personId,
    deportedAt: '2025-09-11T14:00:00.000Z',
    fromCountry: 'BY',
    toCountry: 'LT',
    borderCrossing: 'Kamenny Log',
    consented: false,
  },
} satisfies PersonEvent;
export const returnRefused = {
  type: 'ReturnAttempted',
  data: { personId, attemptedAt: '2025-09-11T15:00:00.000Z', borderCrossing: 'Kamenny Log', outcome: 'refused' },
} satisfies PersonEvent;
export const returnCrossed = {
  type: 'ReturnAttempted',
  data: { ...returnRefused.data, attemptedAt: '2025-10-01T09:00:00.000Z', outcome: 'crossed' },
} satisfies PersonEvent;
export const returnUnknown = { type: 'ReturnAttempted', data: { ...returnRefused.data, outcome: 'unknown' } } satisfies PersonEvent;
export const contactLost = {
  type: 'ContactLost',
  data: { personId, lastContactAt: '2025-09-11T15:30:00.000Z', reportedBy: 'family' },
} satisfies PersonEvent;
export const contactReestablished = {
  type: 'ContactReestablished',
  data: { personId, contactAt: '2025-09-20T10:00:00.000Z', reportedBy: 'lawyer' },
} satisfies PersonEvent;
export const rearrested = {
  type: 'RearrestReported',
  data: { personId, reportedAt: '2025-09-25T12:00:00.000Z', place: 'Minsk' },
} satisfies PersonEvent;
/** The next custody episode: tried again after the re-arrest, with new charges and sentence. */
export const secondImprisonment = {
  type: 'ImprisonmentRecorded',
  data: {
    personId,
    charges: ['art-361-1'],
    sentenceMonths: 24,
    sentenceStart: '2025-10-15',
    expectedRelease: '2027-10-15',
    facility: 'IK-4',
  },
} satisfies PersonEvent;
export const secondRelease = {
  type: 'PrisonerReleased',
  data: {
    personId,
    releasedAt: '2026-06-21T08:00:00.000Z',
    mechanism: 'brokered',
    batchId: 'batch-2026-06-21',
    daysOfSentenceRemaining: 300,
    sentenceRemainingSource: 'stated',
  },
} satisfies PersonEvent;
/** The same release with no days stated: 2026-06-21 to 2027-10-15. */
export const secondReleaseDerived = {
  type: 'PrisonerReleased',
  data: { ...secondRelease.data, daysOfSentenceRemaining: 481, sentenceRemainingSource: 'derived' },
} satisfies PersonEvent;
export const forgotten = { type: 'PersonForgotten', data: { personId, forgottenAt: '2025-10-02T09:00:00.000Z' } } satisfies PersonEvent;

/** The command that records each event as it is. */
export const commandFor = (event: PersonEvent): PersonCommand => {
  switch (event.type) {
    case 'PersonRegistered':
      return { type: 'RegisterPerson', data: event.data };
    case 'ImprisonmentRecorded':
      return { type: 'RecordImprisonment', data: event.data };
    case 'DetentionConditionReported':
      return { type: 'ReportDetentionCondition', data: event.data };
    case 'PrisonerReleased': {
      const { sentenceRemainingSource: _source, ...release } = event.data;
      return { type: 'RecordRelease', data: release };
    }
    case 'PrisonerDeported':
      return { type: 'RecordDeportation', data: event.data };
    case 'ReturnAttempted':
      return { type: 'RecordReturnAttempt', data: event.data };
    case 'ContactLost':
      return { type: 'RecordContactLost', data: event.data };
    case 'ContactReestablished':
      return { type: 'RecordContactReestablished', data: event.data };
    case 'RearrestReported':
      return { type: 'ReportRearrest', data: event.data };
    case 'PersonForgotten':
      return { type: 'ForgetPerson', data: event.data };
    default:
      return assertNever(event);
  }
};
