// What legal's rules know about a person, folded from other contexts' events. Each fact keeps the
// id of the event it comes from, because a flag names the events it rests on.
import { assertNever } from '@homeward/decider';
import { evolveStanding, initialStanding, type Standing } from '@homeward/documents-standing';
import { caseIdOf } from '../ids.js';
import type { ObservedEvent } from './observed.events.js';

/** A release: each one ends a custody episode (imprisonment, release, perhaps deportation). */
export interface ReleaseFact {
  eventId: string;
  releasedAt: string;
  /** "" when released alone. */
  batchId: string;
}

export interface DeportationFact {
  eventId: string;
  deportedAt: string;
  fromCountry: string;
  toCountry: string;
  consented: boolean;
  /** The release of its custody episode: the latest before it in intake's order ("" while none is known). */
  releaseEventId: string;
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
  /** Every release, in intake's order: a person may go through several custody episodes. */
  releases: ReleaseFact[];
  /** Every deportation, in intake's order, each a fact of its own. */
  deportations: DeportationFact[];
  /** The first confiscation or destruction: no event gives a passport back, so it is gone since. */
  passportTaken: string;
  /** Every confiscation or destruction, in identity-documents' order. */
  passportTakings: string[];
  /** The first certificate that is not a valid identity document (the OGiM A4 sheet). */
  nonValidCertificate: string;
  /** The latest refusal of a travel document (a risk by refusals rests on the one that completed them). */
  latestRefusal: string;
  /** The person's papers, folded by the rule identity-documents uses (libs/documents-standing). */
  standing: Standing;
}

export const initialFacts = (personId: string): PersonFacts => ({
  personId,
  caseId: caseIdOf(personId),
  caseOpenedBy: '',
  caseOpenedAt: '',
  foreignNational: false,
  releases: [],
  deportations: [],
  passportTaken: '',
  passportTakings: [],
  nonValidCertificate: '',
  latestRefusal: '',
  standing: initialStanding(),
});

/** The facts as stored before custody episodes and the shared standing (kept readable, see upgradeFacts). */
export interface FactsBeforeEpisodes {
  personId: string;
  caseId: string;
  caseOpenedBy: string;
  caseOpenedAt: string;
  foreignNational: boolean;
  batchId: string;
  deportation: Omit<DeportationFact, 'releaseEventId'> | null;
  deportedWithoutConsent: string;
  passportTaken: string;
  nonValidCertificate: string;
  validDocument: string;
}

/** Stands in for the release an old document knew only the batch of. */
export const releaseBeforeEpisodes = 'release-before-episodes';

/**
 * A stored document of either shape, as the current one. The old shape kept one batch, the latest
 * deportation and the first one without consent, and no standing: the standing is rebuilt from
 * what it kept (a taken passport, a non-valid certificate, a valid paper) and gives the same
 * status the old rule did; refusals it never kept are counted from the next event on (a rebuild
 * of person_facts from the topics gives the exact standing). Flags derived from an upgraded
 * document rest on the same events as before, so none is asked for twice.
 */
export function upgradeFacts(stored: PersonFacts | FactsBeforeEpisodes): PersonFacts {
  if ('standing' in stored) return stored;
  const {
    personId,
    caseId,
    caseOpenedBy,
    caseOpenedAt,
    foreignNational,
    batchId,
    deportation,
    deportedWithoutConsent,
    passportTaken,
    nonValidCertificate,
    validDocument,
  } = stored;
  const releases: ReleaseFact[] = batchId ? [{ eventId: releaseBeforeEpisodes, releasedAt: '', batchId }] : [];
  const releaseEventId = releases[0]?.eventId ?? '';
  const deportations: DeportationFact[] = [];
  if (deportedWithoutConsent && deportedWithoutConsent !== deportation?.eventId) {
    deportations.push({
      eventId: deportedWithoutConsent,
      deportedAt: '',
      fromCountry: '',
      toCountry: '',
      consented: false,
      releaseEventId,
    });
  }
  if (deportation) deportations.push({ ...deportation, releaseEventId });
  const certificates = [
    ...(nonValidCertificate ? [{ validAsIdentityDocument: false }] : []),
    ...(validDocument ? [{ validAsIdentityDocument: true }] : []),
  ];
  return {
    personId,
    caseId,
    caseOpenedBy,
    caseOpenedAt,
    foreignNational,
    releases,
    deportations,
    passportTaken,
    passportTakings: passportTaken ? [passportTaken] : [],
    nonValidCertificate,
    latestRefusal: '',
    standing: { passport: passportTaken ? 'confiscated' : 'held', certificates, applications: [] },
  };
}

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

const has = (facts: readonly { eventId: string }[], eventId: string) => facts.some((fact) => fact.eventId === eventId);

function released(facts: PersonFacts, eventId: string, { releasedAt, batchId }: { releasedAt: string; batchId: string }): PersonFacts {
  if (has(facts.releases, eventId)) return facts;
  // Deported before any release was known: the first release is their episode's.
  const deportations = facts.releases.length
    ? facts.deportations
    : facts.deportations.map((d) => (d.releaseEventId ? d : { ...d, releaseEventId: eventId }));
  return { ...facts, releases: [...facts.releases, { eventId, releasedAt, batchId }], deportations };
}

function deported(
  facts: PersonFacts,
  eventId: string,
  { deportedAt, fromCountry, toCountry, consented }: Omit<DeportationFact, 'eventId' | 'releaseEventId'>,
): PersonFacts {
  if (has(facts.deportations, eventId)) return facts;
  const releaseEventId = facts.releases.at(-1)?.eventId ?? '';
  return { ...facts, deportations: [...facts.deportations, { eventId, deportedAt, fromCountry, toCountry, consented, releaseEventId }] };
}

export function evolveFacts(stored: PersonFacts | FactsBeforeEpisodes | null, event: ObservedEvent): PersonFacts {
  const base = stored ? upgradeFacts(stored) : initialFacts(event.personId);
  const next = opensBefore(base, event) ? { ...base, caseOpenedBy: event.eventId, caseOpenedAt: event.recordedAt ?? '' } : base;
  switch (event.type) {
    case 'PersonRegistered':
      return { ...next, foreignNational: event.data.foreignNational };
    case 'PrisonerReleased':
      return released(next, event.eventId, event.data);
    case 'PrisonerDeported':
      return deported(next, event.eventId, event.data);
    case 'PassportConfiscated':
    case 'PassportDestroyed':
      if (next.passportTakings.includes(event.eventId)) return next;
      return {
        ...next,
        passportTaken: first(next.passportTaken, event.eventId),
        passportTakings: [...next.passportTakings, event.eventId],
        standing: evolveStanding(next.standing, event),
      };
    case 'TemporaryCertificateIssued':
      return {
        ...next,
        nonValidCertificate: event.data.validAsIdentityDocument ? next.nonValidCertificate : first(next.nonValidCertificate, event.eventId),
        standing: evolveStanding(next.standing, event),
      };
    case 'TravelDocumentRefused':
      return { ...next, latestRefusal: event.eventId, standing: evolveStanding(next.standing, event) };
    case 'TravelDocumentApplied':
    case 'TravelDocumentIssued':
      return { ...next, standing: evolveStanding(next.standing, event) };
    case 'ImprisonmentRecorded':
    case 'DetentionConditionReported':
    case 'ReturnAttempted':
    case 'ContactLost':
    case 'ContactReestablished':
    case 'RearrestReported':
      return next;
    default:
      return assertNever(event);
  }
}
