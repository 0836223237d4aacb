import { assertNever } from '@homeward/decider';
import type { PersonEvent } from './person.events.js';

/**
 * A person's status is derived from what happened, never set by a command:
 * imprisoned -> released -> in exile (deported) -> return attempted -> whereabouts unknown |
 * re-arrested | home.
 */
export type PersonStatus = 'unregistered' | 'registered' | 'imprisoned' | 'released' | 'in-exile' | 'return-attempted' | 'whereabouts-unknown' | 're-arrested' | 'home';

export function statusAfter(_status: PersonStatus, event: PersonEvent): PersonStatus {
  switch (event.type) {
    case 'PersonRegistered':
      return 'registered';
    case 'PrisonerReleased':
      return 'released';
    case 'PrisonerDeported':
      return 'in-exile';
    default:
      return assertNever(event);
  }
}
