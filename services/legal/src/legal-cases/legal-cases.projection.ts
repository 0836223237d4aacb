// Legal's own read model of intake's facts that matter for a case: who was deported, from where,
// to where, and whether they consented. Built from intake's topic; legal never reads intake's
// database.
import type { legal } from '@homeward/contracts';
import type { DocumentProjection } from '@homeward/eventsourcing';
import { v5 as uuidv5 } from 'uuid';

export type LegalCaseDocument = legal.LegalCase;

// Case ids are derived from the person id, so a rebuild produces the same ids.
const caseNamespace = '6f1b8e5e-1d3a-4c53-9a55-6b1f0c6f4a10';
export const caseIdOf = (personId: string) => uuidv5(personId, caseNamespace);

export const legalCases: DocumentProjection<LegalCaseDocument> = {
  name: 'legal_cases',
  handles: ['PrisonerDeported'],
  idOf: (event) => caseIdOf(event.subject),
  evolve(doc, event) {
    const base: LegalCaseDocument = doc ?? {
      caseId: caseIdOf(event.subject),
      personId: event.subject,
      openedAt: event.recordedAt,
      deportation: undefined,
      updatedAt: event.recordedAt,
    };
    const data = event.data as { deportedAt: string; fromCountry: string; toCountry: string; consented: boolean };
    return {
      ...base,
      updatedAt: event.recordedAt,
      deportation: { deportedAt: data.deportedAt, fromCountry: data.fromCountry, toCountry: data.toCountry, consented: data.consented, sourceEventId: event.eventId },
    };
  },
};
