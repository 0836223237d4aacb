import type { DocumentsEvent } from './documents.events.js';

type DataOf<T extends DocumentsEvent['type']> = Extract<DocumentsEvent, { type: T }>['data'];

/** Records that an authority took the person's passport. */
export type RecordPassportConfiscation = { type: 'RecordPassportConfiscation'; data: DataOf<'PassportConfiscated'> };
/** Records that an authority destroyed the person's passport (also one it had confiscated). */
export type RecordPassportDestruction = { type: 'RecordPassportDestruction'; data: DataOf<'PassportDestroyed'> };
/** Records a substitute paper an authority issued, such as the OGiM A4 certificate. */
export type IssueTemporaryCertificate = { type: 'IssueTemporaryCertificate'; data: DataOf<'TemporaryCertificateIssued'> };
/** Records an application for a travel document; the caller's service assigns the application id. */
export type ApplyForTravelDocument = { type: 'ApplyForTravelDocument'; data: DataOf<'TravelDocumentApplied'> };

export type TravelDocumentDecision =
  { decision: 'issued'; issuedAt: string; validUntil: string } | { decision: 'refused'; refusedAt: string; reason: string };

/** Records the issuing state's decision on an open application; country and type come from it. */
export type DecideTravelDocumentApplication = {
  type: 'DecideTravelDocumentApplication';
  data: { personId: string; applicationId: string } & TravelDocumentDecision;
};

export type DocumentsCommand =
  | RecordPassportConfiscation
  | RecordPassportDestruction
  | IssueTemporaryCertificate
  | ApplyForTravelDocument
  | DecideTravelDocumentApplication;
