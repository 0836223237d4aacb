// Who has no valid papers, for `GET /v1/documents/undocumented`: ids and statuses only.
// Documented people keep a row too (filtered out when read, and left out of the partial index):
// their standing is what a later confiscation is decided against.
import type { DocumentProjection } from '@homeward/eventsourcing';
import {
  documentsDecider,
  documentsEventTypes,
  documentsStatus,
  type DocumentsEvent,
  type DocumentsState,
  type DocumentsStatus,
} from '@homeward/identity-documents-domain';

export interface UndocumentedPersonDocument {
  personId: string;
  status: DocumentsStatus;
  /** The domain's own state: the status is derived from it exactly as the decider sees it. */
  standing: DocumentsState;
}

export const undocumentedPeople: DocumentProjection<UndocumentedPersonDocument> = {
  name: 'undocumented_people',
  handles: documentsEventTypes,
  idOf: (envelope) => envelope.subject,
  evolve(doc, envelope) {
    const standing = documentsDecider.evolve(doc?.standing ?? documentsDecider.initialState(), envelope as unknown as DocumentsEvent);
    return { personId: envelope.subject, status: documentsStatus(standing), standing };
  },
};
