import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { RaisePatternIndicator } from './pattern.commands.js';
import { patternDecider } from './pattern.decider.js';
import type { PatternEvent } from './pattern.events.js';
import { caseIdOf, patternIdOf, periodPatternIdOf } from './ids.js';

const given = specFor(patternDecider);
const batchId = 'batch-2025-09-11';
const caseIds = Array.from({ length: 10 }, (_, i) => caseIdOf(`0190a000-0000-7000-8000-0000000002${String(i).padStart(2, '0')}`));
const data: RaisePatternIndicator['data'] = {
  patternId: patternIdOf(batchId, 'deportation-without-consent'),
  batchId,
  periodFrom: '',
  periodTo: '',
  practice: 'deportation-without-consent',
  peopleAffected: 10,
  threshold: 10,
  instrument: 'Rome Statute',
  provision: '7(1)(d)',
  caseIds,
  raisedBy: 'rule:batch-pattern',
  raisedAt: '2025-09-12T08:00:00.000Z',
};
const raise = (overrides: Partial<RaisePatternIndicator['data']> = {}): RaisePatternIndicator => ({
  type: 'RaisePatternIndicator',
  data: { ...data, ...overrides },
});
const raised: PatternEvent = { type: 'PatternIndicatorRaised', data };

describe('pattern decider', () => {
  describe('given no indicator', () => {
    it('raises one at the threshold', () => given().when(raise()).then(raised));
    it('raises one above the threshold', () =>
      given()
        .when(raise({ threshold: 5 }))
        .then({ type: 'PatternIndicatorRaised', data: { ...data, threshold: 5 } }));
    it('refuses one below the threshold', () =>
      given()
        .when(raise({ threshold: 11 }))
        .thenThrows('pattern.below-threshold'));
    it('refuses a threshold below one', () =>
      given()
        .when(raise({ threshold: 0, caseIds: [], peopleAffected: 0 }))
        .thenThrows('pattern.below-threshold'));
    it('refuses a count that is not the number of distinct cases', () =>
      given()
        .when(raise({ caseIds: [...caseIds.slice(0, 9), caseIds[0]!] }))
        .thenThrows('pattern.count-mismatch'));
    it('refuses a pattern outside a batch', () =>
      given()
        .when(raise({ batchId: '' }))
        .thenThrows('pattern.batch-required'));
    it('refuses an unknown practice', () =>
      given()
        .when(raise({ practice: 'exile' }))
        .thenThrows('pattern.practice-unknown'));
    it('refuses an id not derived from batch and practice', () =>
      given()
        .when(raise({ practice: 'passport-confiscation' }))
        .thenThrows('pattern.id-mismatch'));
  });

  describe('given no indicator for a release period', () => {
    const period = {
      batchId: '',
      periodFrom: '2025-08-22',
      periodTo: '2025-09-20',
      patternId: periodPatternIdOf('2025-08-22', '2025-09-20', 'deportation-without-consent'),
      raisedBy: 'rule:period-pattern',
    };
    it('raises one at the threshold', () =>
      given()
        .when(raise(period))
        .then({ type: 'PatternIndicatorRaised', data: { ...data, ...period } }));
    it('refuses a batch and a period at once', () =>
      given()
        .when(raise({ ...period, batchId }))
        .thenThrows('pattern.scope-ambiguous'));
    it.each([
      ['2025-09-20', '2025-08-22'],
      ['2025-08-22', ''],
      ['22.08.2025', '2025-09-20'],
    ])('refuses the period %p to %p', (periodFrom, periodTo) =>
      given()
        .when(raise({ ...period, periodFrom, periodTo }))
        .thenThrows('pattern.period-invalid'),
    );
    it('refuses an id not derived from period and practice', () =>
      given()
        .when(raise({ ...period, patternId: patternIdOf(batchId, 'deportation-without-consent') }))
        .thenThrows('pattern.id-mismatch'));
  });

  describe('given a raised indicator', () => {
    it('raises nothing again, even with more people', () =>
      given(raised)
        .when(raise({ caseIds: [...caseIds, caseIdOf('0190a000-0000-7000-8000-000000000299')], peopleAffected: 11 }))
        .thenNothingHappens());
  });
});
