// The same practice across many people: once `threshold` people are affected, raise one indicator
// for a Rome Statute 7(1)(d) review (deportation or forcible transfer of population as a crime
// against humanity, if widespread or systematic). Two scopes are tallied, each with its own
// threshold: one release batch (rule:batch-pattern), and one release period across batches
// (rule:period-pattern): people released within the same window of days, whether in a batch or
// alone. Raised once per scope and practice; people affected later are still counted in the
// tally, without a new event.
import type { RaisePatternIndicator } from '../pattern.commands.js';
import { patternIdOf, periodPatternIdOf } from '../ids.js';
import { instruments, type Practice } from '../legal.vocabulary.js';
import { ruleNames } from './legal.rules.js';

export const defaultPatternThreshold = 10;
/** People released within one period, across batches, affected by one practice. */
export const defaultPeriodPatternThreshold = 10;
/** The length of a release period, in days. */
export const defaultPeriodPatternWindowDays = 30;

/** A batch, or a period of release days (both included); the other's fields are "". */
export type PatternScope = { batchId: string; periodFrom: ''; periodTo: '' } | { batchId: ''; periodFrom: string; periodTo: string };

export const batchScope = (batchId: string): PatternScope => ({ batchId, periodFrom: '', periodTo: '' });

const dayMs = 86_400_000;
const dateOf = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

/**
 * The release period a release falls in: consecutive windows of `windowDays` days counted from
 * 1970-01-01 (UTC), so a release's period depends on its date alone, never on the order people
 * arrive in, and a rebuild tallies as the live rules did. Null when the time is unknown.
 */
export function periodScope(releasedAt: string, windowDays: number): PatternScope | null {
  const at = Date.parse(releasedAt);
  if (!releasedAt || Number.isNaN(at)) return null;
  const first = Math.floor(Math.floor(at / dayMs) / windowDays) * windowDays;
  return { batchId: '', periodFrom: dateOf(first), periodTo: dateOf(first + windowDays - 1) };
}

export const patternIdOfScope = (scope: PatternScope, practice: string) =>
  scope.batchId ? patternIdOf(scope.batchId, practice) : periodPatternIdOf(scope.periodFrom, scope.periodTo, practice);

export interface PracticeTally {
  patternId: string;
  batchId: string;
  /** Absent in tallies stored before periods were tallied: read as "". */
  periodFrom?: string;
  periodTo?: string;
  practice: Practice;
  /**
   * The cases of the people affected, sorted: people arrive in an order that depends on
   * partitions and timing, and the tally must not (a rebuild must end where the live one is).
   */
  caseIds: string[];
  /** Whether the indicator was raised (its time is in the PatternIndicatorRaised event). */
  raised: boolean;
}

export interface TallyOutcome {
  tally: PracticeTally;
  command: RaisePatternIndicator | null;
}

export function countPractice(
  tally: PracticeTally | null,
  affected: { scope: PatternScope; practice: Practice; caseId: string },
  threshold: number,
  now: string,
): TallyOutcome {
  const { scope, practice, caseId } = affected;
  const base: PracticeTally = tally ?? { patternId: patternIdOfScope(scope, practice), ...scope, practice, caseIds: [], raised: false };
  if (base.caseIds.includes(caseId)) return { tally: base, command: null };
  const counted = { ...base, caseIds: [...base.caseIds, caseId].sort() };
  if (counted.raised || counted.caseIds.length < threshold) return { tally: counted, command: null };
  return {
    tally: { ...counted, raised: true },
    command: {
      type: 'RaisePatternIndicator',
      data: {
        patternId: counted.patternId,
        batchId: counted.batchId,
        periodFrom: counted.periodFrom ?? '',
        periodTo: counted.periodTo ?? '',
        practice: counted.practice,
        peopleAffected: counted.caseIds.length,
        threshold,
        instrument: instruments.romeStatute.name,
        provision: '7(1)(d)',
        caseIds: counted.caseIds,
        raisedBy: `rule:${counted.batchId ? ruleNames.batchPattern : ruleNames.periodPattern}`,
        raisedAt: now,
      },
    },
  };
}
