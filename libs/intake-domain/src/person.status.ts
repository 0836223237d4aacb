import { assertNever } from '@homeward/decider';
import { personStatuses as contractStatuses } from '@homeward/vocabulary';
import type { PersonEvent } from './person.events.js';

/**
 * A person's status is derived from what happened, never set by a command. It has two parts:
 * where the person's story has reached (the phase), and whether contact is lost right now.
 *
 *   phase:   unregistered --PersonRegistered--> registered --ImprisonmentRecorded--> imprisoned
 *            --PrisonerReleased--> released --PrisonerDeported--> in-exile
 *            in-exile | return-attempted --ReturnAttempted(refused|unknown)--> return-attempted
 *            in-exile | return-attempted --ReturnAttempted(crossed)--> home
 *            released | in-exile | return-attempted | home --RearrestReported--> re-arrested
 *   contact: ContactLost sets it lost, ContactReestablished clears it; neither moves the phase.
 *   DetentionConditionReported changes neither (conditions are usually reported after release),
 *   nor does PersonForgotten (an erased person's story, without personal fields, still counts).
 *
 *   status = re-arrested          when the phase is re-arrested (what is known about the person
 *                                 then says more than the lost contact; the count of lost
 *                                 contacts still includes them),
 *            whereabouts-unknown  when contact is lost,
 *            the phase            otherwise.
 *
 * So ContactReestablished returns the person to the status they had before contact was lost, or
 * to the one their story reached meanwhile (a release recorded from official sources while the
 * family had no contact, say). A crossing is home: the person is back in their own country; a
 * refused or unknown attempt leaves them outside, having tried. Which command may follow which is
 * the decider's business (person.decider.ts); this file only says where each event leads.
 */
export type PersonPhase =
  'unregistered' | 'registered' | 'imprisoned' | 'released' | 'in-exile' | 'return-attempted' | 're-arrested' | 'home';
export type PersonStatus = PersonPhase | 'whereabouts-unknown';

/** The statuses a person can be listed by, as the contract names them. */
export const personStatuses = contractStatuses satisfies readonly PersonStatus[];

export interface StatusTrack {
  phase: PersonPhase;
  contactLost: boolean;
}

export const initialStatusTrack = (): StatusTrack => ({ phase: 'unregistered', contactLost: false });

export function trackStatus(track: StatusTrack, event: PersonEvent): StatusTrack {
  switch (event.type) {
    case 'PersonRegistered':
      return { ...track, phase: 'registered' };
    case 'ImprisonmentRecorded':
      return { ...track, phase: 'imprisoned' };
    case 'DetentionConditionReported':
      return track;
    case 'PrisonerReleased':
      return { ...track, phase: 'released' };
    case 'PrisonerDeported':
      return { ...track, phase: 'in-exile' };
    case 'ReturnAttempted':
      return { ...track, phase: event.data.outcome === 'crossed' ? 'home' : 'return-attempted' };
    case 'ContactLost':
      return { ...track, contactLost: true };
    case 'ContactReestablished':
      return { ...track, contactLost: false };
    case 'RearrestReported':
      return { ...track, phase: 're-arrested' };
    case 'PersonForgotten':
      return track;
    default:
      return assertNever(event);
  }
}

export function statusOf(track: StatusTrack): PersonStatus {
  if (track.phase === 're-arrested') return 're-arrested';
  return track.contactLost ? 'whereabouts-unknown' : track.phase;
}
