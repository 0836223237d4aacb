// Reading a case beside the person's facts: facts of either stored shape give the latest
// deportation; personal and identifying values open with the person's key, and never for an
// erased person. Invented values only.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { legal } from '@homeward/contracts';
import { caseIdOf, initialFacts, type FactsBeforeEpisodes, type PersonFacts } from '@homeward/legal-domain';
import { sealMessage, type PersonKey } from '@homeward/personal-data';
import { caseOf, openCase, type CaseRow } from './legal-case.read.js';

const personId = '0190a000-0000-7000-8000-000000000701';
const doc = {
  caseId: caseIdOf(personId),
  personId,
  openedAt: '',
  updatedAt: '',
  streamVersion: 1,
  violations: [],
  provisions: [],
  evidence: [],
  submissions: [],
};
const deportation = (eventId: string, consented: boolean) => ({
  eventId,
  deportedAt: '2025-09-11T14:00:00Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  consented,
});

describe('a case as read', () => {
  it('given facts with several deportations, shows the latest', () => {
    const facts: PersonFacts = {
      ...initialFacts(personId),
      deportations: [
        { ...deportation('e-1', false), releaseEventId: 'r-1' },
        { ...deportation('e-2', true), releaseEventId: 'r-2' },
      ],
    };
    expect(caseOf({ id: doc.caseId, doc, facts } as CaseRow).deportation).toEqual({
      deportedAt: '2025-09-11T14:00:00Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      consented: true,
      sourceEventId: 'e-2',
    });
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

describe('a case at the query edge', () => {
  const key: PersonKey = { state: 'active', ownerId: personId, key: randomBytes(32) };
  const evidence = {
    evidenceId: 'e-1',
    kind: 'photo',
    source: 'Invented cousin',
    sha256: 'ab'.repeat(32),
    description: 'An invented photograph',
    violationIds: [],
    attachedBy: 'advisor:a',
    attachedAt: '',
  };
  const submission = {
    submissionId: 's-1',
    forum: 'un-wgad',
    violationIds: [],
    status: 'filed',
    reference: 'WGAD/invented/1',
    filedBy: 'advisor:a',
    filedAt: '',
    updatedAt: '',
    history: [{ status: 'filed', changedBy: 'advisor:a', changedAt: '', note: 'An invented note' }],
  };
  const plain: legal.LegalCase = { ...doc, evidence: [evidence], submissions: [submission], deportation: undefined };
  const sealed = sealMessage('homeward.legal.v1.LegalCase', plain, key);

  it('given the person’s key, opens what was sealed with it', () => {
    expect(JSON.stringify(sealed)).not.toContain('Invented');
    expect(openCase(sealed, key)).toEqual(plain);
  });
  it('given an erased person, answers no value: neither a sealed one nor one stored in clear before sealing', () => {
    const forgotten: PersonKey = { state: 'forgotten', ownerId: personId };
    for (const stored of [sealed, plain]) {
      const found = openCase(stored, forgotten);
      expect(found.evidence[0]).toMatchObject({ evidenceId: 'e-1', kind: 'photo', source: '', description: '' });
      expect(found.submissions[0]).toMatchObject({
        forum: 'un-wgad',
        status: 'filed',
        reference: '',
        history: [{ status: 'filed', note: '' }],
      });
    }
  });
});
