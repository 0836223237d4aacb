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
export const personStatuses = [
  'registered',
  'imprisoned',
  'released',
  'in-exile',
  'return-attempted',
  'whereabouts-unknown',
  're-arrested',
  'home',
] as const;

/** How a prisoner was released. */
export const releaseMechanisms = ['pardon', 'end-of-sentence', 'exchange', 'brokered'] as const;

/** Who reported a contact lost or re-established, as a role (never a name). */
export const reporters = ['family', 'lawyer', 'partner-organisation', 'caseworker', 'media', 'other'] as const;

/** How a return at the border ended: crossed is home; refused or unknown leave the person outside. */
export const returnOutcomes = ['refused', 'crossed', 'unknown'] as const;
