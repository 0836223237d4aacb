// The same practice across a release batch: once `threshold` people of one batch are affected,
// raise one indicator for a Rome Statute 7(1)(d) review (deportation or forcible transfer of
// population as a crime against humanity, if widespread or systematic). Raised once per batch and
// practice; people affected later are still counted in the tally, without a new event.
import type { RaisePatternIndicator } from '../pattern.commands.js';
import { patternIdOf } from '../ids.js';
import { instruments, type Practice } from '../legal.vocabulary.js';
import { ruleNames } from './legal.rules.js';

export const defaultPatternThreshold = 10;

export interface PracticeTally {
  patternId: string;
  batchId: string;
  practice: Practice;
  /**
   * The cases of the people affected, sorted: people of a batch arrive in an order that depends
   * on partitions and timing, and the tally must not (a rebuild must end where the live one is).
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
  affected: { batchId: string; practice: Practice; caseId: string },
  threshold: number,
  now: string,
): TallyOutcome {
  const base: PracticeTally = tally ?? {
    patternId: patternIdOf(affected.batchId, affected.practice),
    batchId: affected.batchId,
    practice: affected.practice,
    caseIds: [],
    raised: false,
  };
  if (base.caseIds.includes(affected.caseId)) return { tally: base, command: null };
  const counted = { ...base, caseIds: [...base.caseIds, affected.caseId].sort() };
  if (counted.raised || counted.caseIds.length < threshold) return { tally: counted, command: null };
  return {
    tally: { ...counted, raised: true },
    command: {
      type: 'RaisePatternIndicator',
      data: {
        patternId: counted.patternId,
        batchId: counted.batchId,
        practice: counted.practice,
        peopleAffected: counted.caseIds.length,
        threshold,
        instrument: instruments.romeStatute,
        provision: '7(1)(d)',
        caseIds: counted.caseIds,
        raisedBy: `rule:${ruleNames.batchPattern}`,
        raisedAt: now,
      },
    },
  };
}
