// What legal hears from other contexts: their published contracts, with the ids legal needs.
// Legal keeps no personal field (names, accounts): only the facts its rules look at.
import type { identityDocumentsEvents, intakeEvents } from '@homeward/contracts';
import { documentsEventTypes, personEventTypes } from '@homeward/vocabulary';

/** `recordedAt`: when the other context recorded it; orders facts that come from different topics. */
type Observed<Type extends string, Data> = { type: Type; data: Data; eventId: string; personId: string; recordedAt?: string };

export type ObservedEvent =
  | Observed<'PersonRegistered', intakeEvents.PersonRegistered>
  | Observed<'ImprisonmentRecorded', intakeEvents.ImprisonmentRecorded>
  | Observed<'DetentionConditionReported', intakeEvents.DetentionConditionReported>
  | Observed<'PrisonerReleased', intakeEvents.PrisonerReleased>
  | Observed<'PrisonerDeported', intakeEvents.PrisonerDeported>
  | Observed<'ReturnAttempted', intakeEvents.ReturnAttempted>
  | Observed<'ContactLost', intakeEvents.ContactLost>
  | Observed<'ContactReestablished', intakeEvents.ContactReestablished>
  | Observed<'RearrestReported', intakeEvents.RearrestReported>
  | Observed<'PassportConfiscated', identityDocumentsEvents.PassportConfiscated>
  | Observed<'PassportDestroyed', identityDocumentsEvents.PassportDestroyed>
  | Observed<'TemporaryCertificateIssued', identityDocumentsEvents.TemporaryCertificateIssued>
  | Observed<'TravelDocumentApplied', identityDocumentsEvents.TravelDocumentApplied>
  | Observed<'TravelDocumentIssued', identityDocumentsEvents.TravelDocumentIssued>
  | Observed<'TravelDocumentRefused', identityDocumentsEvents.TravelDocumentRefused>;

export type ObservedEventType = ObservedEvent['type'];

/**
 * The event types legal's rules consume, by the context that publishes them: each context's own
 * list. Intake's PersonForgotten is no fact: the rules consumer erases the person with it instead.
 */
export const observedEventTypes = {
  intake: personEventTypes.filter(
    (type): type is Exclude<(typeof personEventTypes)[number], 'PersonForgotten'> => type !== 'PersonForgotten',
  ),
  'identity-documents': documentsEventTypes,
} as const satisfies Record<string, readonly ObservedEventType[]>;

/** The event of another context as legal's rules see it, or null for one they do not look at. */
export function observed(event: {
  source: string;
  type: string;
  eventId: string;
  subject: string;
  data: unknown;
  recordedAt?: string;
}): ObservedEvent | null {
  const known: readonly string[] = (observedEventTypes as Record<string, readonly string[]>)[event.source] ?? [];
  if (!known.includes(event.type) || !event.subject) return null;
  const seen = { type: event.type, data: event.data, eventId: event.eventId, personId: event.subject } as ObservedEvent;
  return event.recordedAt ? { ...seen, recordedAt: event.recordedAt } : seen;
}
