import { describe, expect, it } from '@jest/globals';
import { fold } from '@homeward/decider';
import { evolveStanding, initialStanding } from '@homeward/documents-standing';
import { documentsDecider } from './documents.decider.js';
import type { DocumentsEvent } from './documents.events.js';
import { documentsStatus, type DocumentsStatus } from './documents.status.js';

const personId = '0190a000-0000-7000-8000-000000000002';
const confiscated: DocumentsEvent = {
  type: 'PassportConfiscated',
  data: { personId, confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: '' },
};
const destroyed: DocumentsEvent = {
  type: 'PassportDestroyed',
  data: { personId, destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: '' },
};
const a4: DocumentsEvent = {
  type: 'TemporaryCertificateIssued',
  data: { personId, issuedAt: '2025-09-11T09:00:00Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false },
};
const validCertificate: DocumentsEvent = {
  ...a4,
  data: { ...a4.data, issuer: 'LT migration office', format: 'card', validAsIdentityDocument: true },
} as DocumentsEvent;
const applied = (applicationId: string, documentType = 'aliens-passport'): DocumentsEvent => ({
  type: 'TravelDocumentApplied',
  data: { personId, applicationId, appliedAt: '2025-09-20T10:00:00Z', country: 'LT', documentType },
});
const issued = (applicationId: string, documentType = 'aliens-passport'): DocumentsEvent => ({
  type: 'TravelDocumentIssued',
  data: { personId, applicationId, issuedAt: '2025-10-20T10:00:00Z', country: 'LT', documentType, validUntil: '' },
});
const refused = (applicationId: string, documentType = 'aliens-passport'): DocumentsEvent => ({
  type: 'TravelDocumentRefused',
  data: { personId, applicationId, refusedAt: '2025-10-20T10:00:00Z', country: 'LT', documentType, reason: '' },
});

/** given these events, then this status: the status is a function of the decider's state. */
const statusAfter = (...events: DocumentsEvent[]): DocumentsStatus => documentsStatus(fold(documentsDecider, events));

describe('documents status', () => {
  describe('documented', () => {
    it.each<[string, DocumentsEvent[]]>([
      ['nothing recorded: the passport is presumed held', []],
      ['a held passport and an A4 certificate', [a4]],
      ['a held passport and a refused application', [applied('a'), refused('a')]],
      ['a confiscated passport and an issued alien’s passport', [confiscated, applied('a'), issued('a')]],
      [
        'a confiscated passport and an issued refugee travel document',
        [confiscated, applied('a', 'refugee-travel-document'), issued('a', 'refugee-travel-document')],
      ],
      ['a destroyed passport, an A4 certificate and an issued travel document', [destroyed, a4, applied('a'), issued('a')]],
      ['a confiscated passport and a certificate valid as an identity document', [confiscated, a4, validCertificate]],
      ['one refusal and one issue', [confiscated, applied('a'), refused('a'), applied('b'), issued('b')]],
    ])('given %s', (_case, events) => expect(statusAfter(...events)).toBe('documented'));
  });

  describe('undocumented', () => {
    it.each<[string, DocumentsEvent[]]>([
      ['a confiscated passport', [confiscated]],
      ['a destroyed passport', [destroyed]],
      ['a confiscated, then destroyed passport', [confiscated, destroyed]],
      ['a confiscated passport and an open application', [confiscated, applied('a')]],
      ['a confiscated passport, one refusal and one open application', [confiscated, applied('a'), refused('a'), applied('b')]],
      [
        'a confiscated passport and an issued humanitarian visa (it replaces no passport)',
        [confiscated, applied('a', 'humanitarian-visa'), issued('a', 'humanitarian-visa')],
      ],
      [
        'a destroyed passport and an issued residence permit (it replaces no passport)',
        [destroyed, applied('a', 'residence-permit'), issued('a', 'residence-permit')],
      ],
      [
        'a confiscated passport and a refused humanitarian visa (it refuses no passport)',
        [confiscated, applied('a', 'humanitarian-visa'), refused('a', 'humanitarian-visa')],
      ],
    ])('given %s', (_case, events) => expect(statusAfter(...events)).toBe('undocumented'));
  });

  describe('at risk of statelessness', () => {
    it.each<[string, DocumentsEvent[]]>([
      ['a confiscated passport and only the OGiM A4 certificate', [confiscated, a4]],
      ['a destroyed passport and only the OGiM A4 certificate', [destroyed, a4]],
      ['the A4 certificate and an open application (an application is no paper)', [confiscated, a4, applied('a')]],
      ['a confiscated passport and one refused application', [confiscated, applied('a'), refused('a')]],
      ['a destroyed passport and every application refused', [destroyed, applied('a'), refused('a'), applied('b'), refused('b')]],
      [
        'the A4 certificate and an issued residence permit',
        [confiscated, a4, applied('a', 'residence-permit'), issued('a', 'residence-permit')],
      ],
      [
        'a refused alien’s passport and an issued humanitarian visa',
        [confiscated, applied('a'), refused('a'), applied('b', 'humanitarian-visa'), issued('b', 'humanitarian-visa')],
      ],
    ])('given %s', (_case, events) => expect(statusAfter(...events)).toBe('at-risk-of-statelessness'));
  });

  it('folds exactly as legal does: the decider’s evolve is the shared standing fold', () => {
    const history: DocumentsEvent[] = [confiscated, a4, applied('a', 'humanitarian-visa'), issued('a', 'humanitarian-visa'), destroyed];
    expect(fold(documentsDecider, history)).toEqual(history.reduce(evolveStanding, initialStanding()));
  });

  it('moves from undocumented to at risk to documented as papers come and go', () => {
    const history: DocumentsEvent[] = [confiscated, a4, applied('a'), issued('a')];
    expect(history.map((_, n) => statusAfter(...history.slice(0, n + 1)))).toEqual([
      'undocumented',
      'at-risk-of-statelessness',
      'at-risk-of-statelessness',
      'documented',
    ]);
  });
});
