// The standing fold on its own: what identity-documents' decider and legal's facts both run.
import { describe, expect, it } from '@jest/globals';
import { documentsStatus, evolveStanding, initialStanding, type StandingEvent } from './documents-standing.js';

const personId = '0190a000-0000-7000-8000-000000000801';
const at = '2025-09-11T06:00:00Z';
const confiscated: StandingEvent = { type: 'PassportConfiscated', data: { personId, confiscatedAt: at, authority: 'kgb', place: '' } };
const destroyed: StandingEvent = { type: 'PassportDestroyed', data: { personId, destroyedAt: at, authority: 'kgb', account: '' } };
const issued = (documentType: string): StandingEvent => ({
  type: 'TravelDocumentIssued',
  data: { personId, applicationId: 'never-seen', issuedAt: at, country: 'LT', documentType, validUntil: '' },
});
const standingAfter = (...events: StandingEvent[]) => events.reduce(evolveStanding, initialStanding());

describe('documents standing', () => {
  describe('given a destroyed passport', () => {
    it('keeps it destroyed when a confiscation is reported after', () =>
      expect(standingAfter(destroyed, confiscated).passport).toBe('destroyed'));
  });
  describe('given a decision on an application the fold never saw (a reader that began mid-stream)', () => {
    it('counts an issued alien’s passport, with the country and type the decision names', () => {
      expect(standingAfter(confiscated, issued('aliens-passport')).applications).toEqual([
        { applicationId: 'never-seen', appliedAt: '', country: 'LT', documentType: 'aliens-passport', decision: 'issued' },
      ]);
      expect(documentsStatus(standingAfter(confiscated, issued('aliens-passport')))).toBe('documented');
    });
    it('does not count an issued residence permit as a passport', () =>
      expect(documentsStatus(standingAfter(confiscated, issued('residence-permit')))).toBe('undocumented'));
  });
});
