import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import type { DocumentsCommand } from './documents.commands.js';
import { authorities, travelDocumentTypes, type DocumentsEvent } from './documents.events.js';
import { countryPattern, datePattern, dateTimePattern } from '@homeward/vocabulary';
import { evolveStanding, initialStanding, type ApplicationStanding, type Standing } from '@homeward/documents-standing';

export type ApplicationState = ApplicationStanding;

/** The decider's state is the person's standing in papers, folded as legal folds it. */
export type DocumentsState = Standing;

export const initialDocumentsState = (): DocumentsState => initialStanding();

export const evolve = (state: DocumentsState, event: DocumentsEvent): DocumentsState => evolveStanding(state, event);

// Formats are checked here as well as at the gateway, with the same patterns: a command may come
// from any gRPC caller.
const invalid = (code: string, message: string) => new DomainError('validation-failed', code, message);

/** A real calendar day (Date.parse alone would roll 30 February over into March). */
function isCalendarDate(value: string): boolean {
  if (!datePattern.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
}

function requireInstant(value: string, field: string): void {
  if (!dateTimePattern.test(value) || !isCalendarDate(value.slice(0, 10)) || Number.isNaN(Date.parse(value)))
    throw invalid('documents.time-invalid', `${field} must be an RFC 3339 date-time with a time zone`);
}

function requireAuthority(authority: string): void {
  if (!(authorities as readonly string[]).includes(authority))
    throw invalid('passport.authority-unknown', `authority must be one of ${authorities.join(', ')}`);
}

const before = (a: string, b: string) => Date.parse(a) < Date.parse(b);

export function decide(command: DocumentsCommand, state: DocumentsState): DocumentsEvent[] {
  switch (command.type) {
    case 'RecordPassportConfiscation':
      requireInstant(command.data.confiscatedAt, 'confiscatedAt');
      requireAuthority(command.data.authority);
      if (state.passport === 'destroyed')
        throw ruleViolated('passport.already-destroyed', 'the passport was destroyed; it cannot be confiscated');
      if (state.passport === 'confiscated')
        throw ruleViolated('passport.already-confiscated', 'the passport is already recorded as confiscated');
      return [{ type: 'PassportConfiscated', data: command.data }];

    case 'RecordPassportDestruction':
      // A confiscated passport may still be destroyed by whoever holds it; a destroyed one is gone.
      requireInstant(command.data.destroyedAt, 'destroyedAt');
      requireAuthority(command.data.authority);
      if (state.passport === 'destroyed') throw ruleViolated('passport.already-destroyed', 'the passport is already recorded as destroyed');
      return [{ type: 'PassportDestroyed', data: command.data }];

    case 'IssueTemporaryCertificate': {
      requireInstant(command.data.issuedAt, 'issuedAt');
      const { issuer, format, validAsIdentityDocument } = command.data;
      if (!issuer.trim() || !format.trim())
        throw invalid('certificate.issuer-or-format-missing', 'a certificate needs an issuer and a format');
      if (validAsIdentityDocument && issuer.trim().toLowerCase() === 'ogim' && format.trim().toUpperCase() === 'A4') {
        throw ruleViolated('certificate.ogim-a4-not-identity-document', 'the OGiM A4 certificate is not a valid identity document');
      }
      return [{ type: 'TemporaryCertificateIssued', data: command.data }];
    }

    case 'ApplyForTravelDocument': {
      const { applicationId, appliedAt, documentType } = command.data;
      requireInstant(appliedAt, 'appliedAt');
      if (!countryPattern.test(command.data.country))
        throw invalid('travel-document.country-invalid', 'country must be an ISO 3166-1 alpha-2 code in upper case');
      if (!(travelDocumentTypes as readonly string[]).includes(documentType)) {
        throw invalid('travel-document.type-unknown', `documentType must be one of ${travelDocumentTypes.join(', ')}`);
      }
      if (state.applications.some((application) => application.applicationId === applicationId)) {
        throw ruleViolated('travel-document.application-exists', 'an application with this id is already recorded');
      }
      const open = state.applications.some(
        (application) =>
          application.decision === 'pending' && application.country === command.data.country && application.documentType === documentType,
      );
      if (open)
        throw ruleViolated('travel-document.application-pending', 'an application for this document from this country is still open');
      return [{ type: 'TravelDocumentApplied', data: command.data }];
    }

    case 'DecideTravelDocumentApplication': {
      const { personId, applicationId } = command.data;
      const application = state.applications.find((candidate) => candidate.applicationId === applicationId);
      if (!application) throw notFound('travel-document.application-not-found', 'no travel-document application with this id');
      if (application.decision !== 'pending')
        throw ruleViolated('travel-document.already-decided', `this application was already ${application.decision}`);
      const { country, documentType, appliedAt } = application;
      const verdict = command.data;
      switch (verdict.decision) {
        case 'issued':
          requireInstant(verdict.issuedAt, 'issuedAt');
          if (before(verdict.issuedAt, appliedAt))
            throw ruleViolated('travel-document.decided-before-application', 'a document cannot be issued before it was applied for');
          if (verdict.validUntil && !isCalendarDate(verdict.validUntil)) {
            throw invalid('travel-document.valid-until-invalid', 'validUntil must be a date, YYYY-MM-DD');
          }
          // Compared as written: the day of issue in the issuer's own time zone.
          if (verdict.validUntil && verdict.validUntil < verdict.issuedAt.slice(0, 10)) {
            throw ruleViolated('travel-document.expires-before-issue', 'a document cannot expire before the day it was issued');
          }
          return [
            {
              type: 'TravelDocumentIssued',
              data: { personId, applicationId, issuedAt: verdict.issuedAt, country, documentType, validUntil: verdict.validUntil },
            },
          ];
        case 'refused':
          requireInstant(verdict.refusedAt, 'refusedAt');
          if (before(verdict.refusedAt, appliedAt))
            throw ruleViolated('travel-document.decided-before-application', 'an application cannot be refused before it was made');
          return [
            {
              type: 'TravelDocumentRefused',
              data: { personId, applicationId, refusedAt: verdict.refusedAt, country, documentType, reason: verdict.reason },
            },
          ];
        default:
          return assertNever(verdict);
      }
    }

    default:
      return assertNever(command);
  }
}

export const documentsDecider: Decider<DocumentsCommand, DocumentsEvent, DocumentsState> = {
  decide,
  evolve,
  initialState: initialDocumentsState,
};
