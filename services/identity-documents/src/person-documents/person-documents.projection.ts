// A person's papers, for `GET /v1/people/{personId}/documents`: passport, certificates,
// applications with their decisions, and the derived status. The place, account and reason are
// copied as the events hold them, sealed with the person's key under the same field names, and
// opened only at the query edge (get-documents/): nothing here decrypts, so a rebuild after an
// erasure copies only what no key opens any more.
import type { identityDocuments } from '@homeward/contracts';
import { assertNever } from '@homeward/decider';
import type { DocumentProjection } from '@homeward/eventsourcing';
import {
  documentsEventTypes,
  documentsStatus,
  type ApplicationDecision,
  type DocumentsEvent,
  type DocumentsStatus,
  type PassportState,
} from '@homeward/identity-documents-domain';
import type { EventEnvelope } from '@homeward/messaging';

export interface PersonDocumentsDocument extends identityDocuments.PersonDocuments {
  status: DocumentsStatus;
  passport: identityDocuments.Passport & { state: PassportState };
  applications: Array<identityDocuments.TravelDocumentApplication & { decision: ApplicationDecision }>;
}

/** The contract message of the document: what the inventory seals, opens and scrubs in it. */
export const personDocumentsMessage = 'homeward.identity_documents.v1.PersonDocuments';

type Application = PersonDocumentsDocument['applications'][number];

const decide = (applications: Application[], applicationId: string, decision: Partial<Application>) =>
  applications.map((application) => (application.applicationId === applicationId ? { ...application, ...decision } : application));

function withEvent(doc: PersonDocumentsDocument, event: DocumentsEvent, eventId: string): PersonDocumentsDocument {
  switch (event.type) {
    case 'PassportConfiscated': {
      const { confiscatedAt, authority, place } = event.data;
      return { ...doc, passport: { ...doc.passport, state: 'confiscated', confiscation: { confiscatedAt, authority, place } } };
    }
    case 'PassportDestroyed': {
      const { destroyedAt, authority, account } = event.data;
      return { ...doc, passport: { ...doc.passport, state: 'destroyed', destruction: { destroyedAt, authority, account } } };
    }
    case 'TemporaryCertificateIssued': {
      const { issuedAt, issuer, format, validAsIdentityDocument } = event.data;
      return { ...doc, certificates: [...doc.certificates, { eventId, issuedAt, issuer, format, validAsIdentityDocument }] };
    }
    case 'TravelDocumentApplied': {
      const { applicationId, appliedAt, country, documentType } = event.data;
      const application: Application = {
        applicationId,
        appliedAt,
        country,
        documentType,
        decision: 'pending',
        decidedAt: '',
        validUntil: '',
        reason: '',
      };
      return { ...doc, applications: [...doc.applications, application] };
    }
    case 'TravelDocumentIssued':
      return {
        ...doc,
        applications: decide(doc.applications, event.data.applicationId, {
          decision: 'issued',
          decidedAt: event.data.issuedAt,
          validUntil: event.data.validUntil,
        }),
      };
    case 'TravelDocumentRefused':
      return {
        ...doc,
        applications: decide(doc.applications, event.data.applicationId, {
          decision: 'refused',
          decidedAt: event.data.refusedAt,
          reason: event.data.reason,
        }),
      };
    default:
      return assertNever(event);
  }
}

export const personDocuments: DocumentProjection<PersonDocumentsDocument> = {
  name: 'person_documents',
  handles: documentsEventTypes,
  idOf: (envelope) => envelope.subject,
  evolve(doc, envelope: EventEnvelope) {
    const base: PersonDocumentsDocument = doc ?? {
      personId: envelope.subject,
      streamVersion: 0,
      status: 'documented',
      passport: { state: 'held' },
      certificates: [],
      applications: [],
      updatedAt: envelope.recordedAt,
    };
    const next = withEvent(base, envelope as unknown as DocumentsEvent, envelope.eventId);
    return {
      ...next,
      streamVersion: envelope.streamVersion,
      status: documentsStatus({ passport: next.passport.state, certificates: next.certificates, applications: next.applications }),
      updatedAt: envelope.recordedAt,
    };
  },
};
