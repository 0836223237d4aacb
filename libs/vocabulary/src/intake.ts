// Intake's words, as its contract publishes them (proto/homeward/intake/v1).

/** The events on a person's stream, by their CloudEvents type. */
export const personEventTypes = [
  'PersonRegistered',
  'ImprisonmentRecorded',
  'DetentionConditionReported',
  'PrisonerReleased',
  'PrisonerDeported',
  'ReturnAttempted',
  'ContactLost',
  'ContactReestablished',
  'RearrestReported',
  'PersonForgotten',
] as const;

/** A person's derived status (libs/intake-domain/src/person.status.ts says where each event leads). */
export const personStatuses = ['registered', 'imprisoned', 'released', 'in-exile', 'return-attempted', 'whereabouts-unknown', 're-arrested', 'home'] as const;
