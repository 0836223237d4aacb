// What legal's rules know about a person, folded from other contexts' events. Each fact keeps the
// id of the event it comes from, because a flag names the events it rests on.
import { assertNever } from '@homeward/decider';
import { caseIdOf } from '../ids.js';
import type { ObservedEvent } from './observed.events.js';

export interface DeportationFact {
  eventId: string;
  deportedAt: string;
  fromCountry: string;
  toCountry: string;
  consented: boolean;
}

export interface PersonFacts {
  personId: string;
  caseId: string;
  /** The event that opened the person's case; "" while nothing legal has happened. */
  caseOpenedBy: string;
  /**
   * When that event was recorded. Events of two topics may arrive in either order (a rebuild
   * reads them in another one than the live consumer did): the earlier recorded one opens the
   * case, so the facts do not depend on the order of arrival.
   */
  caseOpenedAt: string;
  foreignNational: boolean;
  /** The release batch, "" when unknown or released alone. */
  batchId: string;
  /** The latest deportation, as recorded. */
  deportation: DeportationFact | null;
  /** The first deportation without consent; it stays a fact whatever follows. */
  deportedWithoutConsent: string;
  /** The first confiscation or destruction of the passport: either way it was taken. */
  passportTaken: string;
  /** The first certificate that is not a valid identity document (the OGiM A4 sheet). */
  nonValidCertificate: string;
  /** The first valid identity or travel document issued since. */
  validDocument: string;
}

/**
 * Travel documents that also prove identity. A humanitarian visa or a residence permit lets a
 * person stay, but does not replace a passport, so it does not lift the statelessness risk.
 */
export const identityTravelDocumentTypes = ['aliens-passport', 'refugee-travel-document'] as const;

export const initialFacts = (personId: string): PersonFacts => ({
  personId,
  caseId: caseIdOf(personId),
  caseOpenedBy: '',
  caseOpenedAt: '',
  foreignNational: false,
  batchId: '',
  deportation: null,
  deportedWithoutConsent: '',
  passportTaken: '',
  nonValidCertificate: '',
  validDocument: '',
});

/**
 * Events that make a person a legal matter: something a state did to them, or may have. Every
 * event a rule fires on is one of them, so a flag never comes before its case.
 */
export function opensCase(event: ObservedEvent): boolean {
  switch (event.type) {
    case 'ImprisonmentRecorded':
    case 'DetentionConditionReported':
    case 'PrisonerDeported':
    case 'ReturnAttempted':
    case 'ContactLost':
    case 'RearrestReported':
    case 'PassportConfiscated':
    case 'PassportDestroyed':
      return true;
    case 'TemporaryCertificateIssued':
      return !event.data.validAsIdentityDocument;
    case 'PersonRegistered':
    case 'PrisonerReleased':
    case 'ContactReestablished':
    case 'TravelDocumentApplied':
    case 'TravelDocumentIssued':
    case 'TravelDocumentRefused':
      return false;
    default:
      return assertNever(event);
  }
}

const first = (current: string, candidate: string) => current || candidate;

/** Whether this event opens the case instead of the one that did: none did, or it was recorded earlier. */
function opensBefore(facts: PersonFacts, event: ObservedEvent): boolean {
  if (!opensCase(event)) return false;
  if (!facts.caseOpenedBy) return true;
  return event.recordedAt !== undefined && facts.caseOpenedAt !== '' && event.recordedAt < facts.caseOpenedAt;
}

export function evolveFacts(facts: PersonFacts | null, event: ObservedEvent): PersonFacts {
  const base = facts ?? initialFacts(event.personId);
  const next = opensBefore(base, event) ? { ...base, caseOpenedBy: event.eventId, caseOpenedAt: event.recordedAt ?? '' } : base;
  switch (event.type) {
    case 'PersonRegistered':
      return { ...next, foreignNational: event.data.foreignNational };
    case 'PrisonerReleased':
      return { ...next, batchId: first(next.batchId, event.data.batchId) };
    case 'PrisonerDeported': {
      const { deportedAt, fromCountry, toCountry, consented } = event.data;
      return {
        ...next,
        deportation: { eventId: event.eventId, deportedAt, fromCountry, toCountry, consented },
        deportedWithoutConsent: consented ? next.deportedWithoutConsent : first(next.deportedWithoutConsent, event.eventId),
      };
    }
    case 'PassportConfiscated':
    case 'PassportDestroyed':
      return { ...next, passportTaken: first(next.passportTaken, event.eventId) };
    case 'TemporaryCertificateIssued':
      return event.data.validAsIdentityDocument
        ? { ...next, validDocument: first(next.validDocument, event.eventId) }
        : { ...next, nonValidCertificate: first(next.nonValidCertificate, event.eventId) };
    case 'TravelDocumentIssued':
      return (identityTravelDocumentTypes as readonly string[]).includes(event.data.documentType)
        ? { ...next, validDocument: first(next.validDocument, event.eventId) }
        : next;
    case 'ImprisonmentRecorded':
    case 'DetentionConditionReported':
    case 'ReturnAttempted':
    case 'ContactLost':
    case 'ContactReestablished':
    case 'RearrestReported':
    case 'TravelDocumentApplied':
    case 'TravelDocumentRefused':
      return next;
    default:
      return assertNever(event);
  }
}
