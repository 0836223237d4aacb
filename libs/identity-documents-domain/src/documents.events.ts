// The identity-documents context's events. Their data are the versioned contracts from proto/, so
// what is stored, hashed and published is exactly what the contract says (legal consumes them).
import type { identityDocumentsEvents } from '@homeward/contracts';
import { documentsEventTypes as contractEventTypes } from '@homeward/vocabulary';

export type PassportConfiscated = { type: 'PassportConfiscated'; data: identityDocumentsEvents.PassportConfiscated };
export type PassportDestroyed = { type: 'PassportDestroyed'; data: identityDocumentsEvents.PassportDestroyed };
export type TemporaryCertificateIssued = { type: 'TemporaryCertificateIssued'; data: identityDocumentsEvents.TemporaryCertificateIssued };
export type TravelDocumentApplied = { type: 'TravelDocumentApplied'; data: identityDocumentsEvents.TravelDocumentApplied };
export type TravelDocumentIssued = { type: 'TravelDocumentIssued'; data: identityDocumentsEvents.TravelDocumentIssued };
export type TravelDocumentRefused = { type: 'TravelDocumentRefused'; data: identityDocumentsEvents.TravelDocumentRefused };

export type DocumentsEvent =
  | PassportConfiscated
  | PassportDestroyed
  | TemporaryCertificateIssued
  | TravelDocumentApplied
  | TravelDocumentIssued
  | TravelDocumentRefused;
export type DocumentsEventType = DocumentsEvent['type'];

/** The contract's list of this stream's event types (legal consumes the same list). */
export const documentsEventTypes = contractEventTypes satisfies readonly DocumentsEventType[];

/** One stream per person; its subject (Kafka key, CloudEvents subject) is the personId. */
export const documentsStreamId = (personId: string) => `documents-${personId}`;

/** Who took or destroyed a passport. */
export { authorities, type Authority } from '@homeward/vocabulary';

/** What a person may apply for abroad; which of them replace a passport is the standing rule's. */
export { travelDocumentTypes, type TravelDocumentType } from '@homeward/documents-standing';
