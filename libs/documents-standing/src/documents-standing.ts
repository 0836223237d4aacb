// A person's standing in papers, and the one rule that says whether they are documented. Both
// identity-documents (the person's status, GET /v1/documents/undocumented) and legal (the
// statelessness flag) fold the same events with `evolveStanding` and ask `documentsStatus`, so the
// two never disagree. Pure: no clock, no ids, no framework.
import { assertNever } from '@homeward/decider';
import type { identityDocumentsEvents } from '@homeward/contracts';
import { passportReplacingTypes, type ApplicationDecision, type DocumentsStatus, type PassportState } from '@homeward/vocabulary';

export {
  applicationDecisions,
  documentsStatuses,
  passportReplacingTypes,
  passportStates,
  travelDocumentTypes,
  type ApplicationDecision,
  type DocumentsStatus,
  type PassportState,
  type TravelDocumentType,
} from '@homeward/vocabulary';

export const replacesPassport = (documentType: string) => (passportReplacingTypes as readonly string[]).includes(documentType);

export interface ApplicationStanding {
  applicationId: string;
  appliedAt: string;
  country: string;
  documentType: string;
  decision: ApplicationDecision;
}

/** Plain JSON, so a read model can keep it beside its document (no personal field in it). */
export interface Standing {
  passport: PassportState;
  certificates: Array<{ validAsIdentityDocument: boolean }>;
  applications: ApplicationStanding[];
}

/** The identity-documents events, as their contract carries them (what legal hears, too). */
export type StandingEvent =
  | { type: 'PassportConfiscated'; data: identityDocumentsEvents.PassportConfiscated }
  | { type: 'PassportDestroyed'; data: identityDocumentsEvents.PassportDestroyed }
  | { type: 'TemporaryCertificateIssued'; data: identityDocumentsEvents.TemporaryCertificateIssued }
  | { type: 'TravelDocumentApplied'; data: identityDocumentsEvents.TravelDocumentApplied }
  | { type: 'TravelDocumentIssued'; data: identityDocumentsEvents.TravelDocumentIssued }
  | { type: 'TravelDocumentRefused'; data: identityDocumentsEvents.TravelDocumentRefused };

export const initialStanding = (): Standing => ({ passport: 'held', certificates: [], applications: [] });

/** A decision on an application the fold never saw (a reader that began mid-stream) still counts: it names country and type. */
function decided(
  standing: Standing,
  { applicationId, country, documentType }: { applicationId: string; country: string; documentType: string },
  decision: ApplicationDecision,
): Standing {
  if (!standing.applications.some((application) => application.applicationId === applicationId)) {
    return { ...standing, applications: [...standing.applications, { applicationId, appliedAt: '', country, documentType, decision }] };
  }
  return {
    ...standing,
    applications: standing.applications.map((application) =>
      application.applicationId === applicationId ? { ...application, decision } : application,
    ),
  };
}

export function evolveStanding(standing: Standing, event: StandingEvent): Standing {
  switch (event.type) {
    case 'PassportConfiscated':
      // A destroyed passport stays destroyed, whatever is reported after.
      return standing.passport === 'destroyed' ? standing : { ...standing, passport: 'confiscated' };
    case 'PassportDestroyed':
      return { ...standing, passport: 'destroyed' };
    case 'TemporaryCertificateIssued':
      return { ...standing, certificates: [...standing.certificates, { validAsIdentityDocument: event.data.validAsIdentityDocument }] };
    case 'TravelDocumentApplied': {
      const { applicationId, appliedAt, country, documentType } = event.data;
      return {
        ...standing,
        applications: [...standing.applications, { applicationId, appliedAt, country, documentType, decision: 'pending' }],
      };
    }
    case 'TravelDocumentIssued':
      return decided(standing, event.data, 'issued');
    case 'TravelDocumentRefused':
      return decided(standing, event.data, 'refused');
    default:
      return assertNever(event);
  }
}

/**
 * - `documented`: still holds their passport (no confiscation or destruction recorded), was issued
 *   an alien's passport or a refugee travel document, or holds a certificate valid as an identity
 *   document.
 * - `undocumented`: none of those.
 * - `at-risk-of-statelessness`: undocumented, and either the only certificates held are not valid
 *   identity documents (the OGiM A4 sheet), or every application for an alien's passport or a
 *   refugee travel document was refused. Applications for a visa or a residence permit count
 *   neither way: issued, they replace no passport; refused, they refuse no passport.
 *
 * An issued document counts while it exists: its `validUntil` is shown but not applied, because
 * deciding expiry needs a clock and the domain has none.
 */
export function documentsStatus({
  passport,
  certificates,
  applications,
}: Pick<Standing, 'passport' | 'certificates' | 'applications'>): DocumentsStatus {
  const holdsValidPaper =
    passport === 'held' ||
    applications.some((application) => application.decision === 'issued' && replacesPassport(application.documentType)) ||
    certificates.some((certificate) => certificate.validAsIdentityDocument);
  if (holdsValidPaper) return 'documented';
  const onlyNonValidCertificates = certificates.length > 0;
  // Visas and residence permits neither replace a passport nor, refused, take away the hope of one.
  const forPassport = applications.filter((application) => replacesPassport(application.documentType));
  const everyPassportRefused = forPassport.length > 0 && forPassport.every((application) => application.decision === 'refused');
  return onlyNonValidCertificates || everyPassportRefused ? 'at-risk-of-statelessness' : 'undocumented';
}
