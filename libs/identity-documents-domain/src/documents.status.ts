/**
 * A person's documents status is derived from what happened, never set by a command:
 *
 * - `documented`: holds a valid passport (no confiscation or destruction recorded), an issued
 *   travel document, or a temporary certificate that is valid as an identity document.
 * - `undocumented`: the passport was confiscated or destroyed and nothing valid replaced it.
 * - `at-risk-of-statelessness`: undocumented, and either the only papers held are certificates
 *   that are not valid identity documents (the OGiM A4 certificate), or every travel-document
 *   application so far was refused.
 *
 * An issued travel document counts while it exists: its `validUntil` is shown but not applied,
 * because deciding expiry needs a clock and the domain has none.
 */
export type DocumentsStatus = 'documented' | 'undocumented' | 'at-risk-of-statelessness';
export const documentsStatuses = ['documented', 'undocumented', 'at-risk-of-statelessness'] as const satisfies readonly DocumentsStatus[];

export type PassportState = 'held' | 'confiscated' | 'destroyed';
export type ApplicationDecision = 'pending' | 'issued' | 'refused';

/** What the status rests on; the decider's state and the read model both have this shape. */
export interface Standing {
  passport: PassportState;
  certificates: ReadonlyArray<{ validAsIdentityDocument: boolean }>;
  applications: ReadonlyArray<{ decision: ApplicationDecision }>;
}

export function documentsStatus({ passport, certificates, applications }: Standing): DocumentsStatus {
  const holdsValidPaper =
    passport === 'held' ||
    applications.some((application) => application.decision === 'issued') ||
    certificates.some((certificate) => certificate.validAsIdentityDocument);
  if (holdsValidPaper) return 'documented';
  const onlyNonValidCertificates = certificates.length > 0;
  const everyApplicationRefused = applications.length > 0 && applications.every((application) => application.decision === 'refused');
  return onlyNonValidCertificates || everyApplicationRefused ? 'at-risk-of-statelessness' : 'undocumented';
}
