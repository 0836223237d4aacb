// Reading a case beside the person's facts: facts of either stored shape give the latest deportation.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf, initialFacts, type FactsBeforeEpisodes, type PersonFacts } from '@homeward/legal-domain';
import { caseOf, type CaseRow } from './legal-case.read.js';

const personId = '0190a000-0000-7000-8000-000000000701';
const doc = { caseId: caseIdOf(personId), personId, openedAt: '', updatedAt: '', streamVersion: 1, violations: [], provisions: [], evidence: [], submissions: [] };
const deportation = (eventId: string, consented: boolean) => ({ eventId, deportedAt: '2025-09-11T14:00:00Z', fromCountry: 'BY', toCountry: 'LT', consented });

describe('a case as read', () => {
  it('given facts with several deportations, shows the latest', () => {
    const facts: PersonFacts = { ...initialFacts(personId), deportations: [{ ...deportation('e-1', false), releaseEventId: 'r-1' }, { ...deportation('e-2', true), releaseEventId: 'r-2' }] };
    expect(caseOf({ id: doc.caseId, doc, facts } as CaseRow).deportation).toEqual({ deportedAt: '2025-09-11T14:00:00Z', fromCountry: 'BY', toCountry: 'LT', consented: true, sourceEventId: 'e-2' });
  });
  it('given facts stored in the shape before custody episodes, shows the deportation they kept', () => {
    const old: FactsBeforeEpisodes = {
      personId,
      caseId: doc.caseId,
      caseOpenedBy: 'e-1',
      caseOpenedAt: '',
      foreignNational: false,
      batchId: '',
      deportation: deportation('e-1', false),
      deportedWithoutConsent: 'e-1',
      passportTaken: '',
      nonValidCertificate: '',
      validDocument: '',
    };
    expect(caseOf({ id: doc.caseId, doc, facts: old }).deportation).toMatchObject({ sourceEventId: 'e-1', consented: false });
  });
  it('given no facts, shows no deportation', () => {
    expect(caseOf({ id: doc.caseId, doc, facts: null }).deportation).toBeUndefined();
  });
});
