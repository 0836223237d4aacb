// The batch tally as a pure function: given who was counted, when one more person of the batch
// is affected by the practice, then the new tally and, at the threshold only, one indicator.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf, patternIdOf } from '../ids.js';
import { countPractice, type PracticeTally } from './batch-pattern.rule.js';

const batchId = 'batch-2025-09-11';
const practice = 'passport-confiscation' as const;
const now = '2025-09-12T10:00:00.000Z';
const caseIds = Array.from({ length: 12 }, (_, i) => caseIdOf(`0190a000-0000-7000-8000-0000000004${String(i).padStart(2, '0')}`));

/** The tally after counting these cases with this threshold. */
const counted = (cases: string[], threshold: number) =>
  cases.reduce<PracticeTally | null>((tally, caseId) => countPractice(tally, { batchId, practice, caseId }, threshold, now).tally, null);
const count = (tally: PracticeTally | null, caseId: string, threshold = 3) => countPractice(tally, { batchId, practice, caseId }, threshold, now);

describe('batch pattern rule', () => {
  it('counts a person below the threshold and raises nothing', () => {
    const { tally, command } = count(counted(caseIds.slice(0, 1), 3), caseIds[1]!);
    expect(command).toBeNull();
    expect(tally).toEqual({ patternId: patternIdOf(batchId, practice), batchId, practice, caseIds: caseIds.slice(0, 2).sort(), raised: false });
  });

  it('raises the indicator for Rome Statute 7(1)(d) when the threshold is reached', () => {
    const { tally, command } = count(counted(caseIds.slice(0, 2), 3), caseIds[2]!);
    expect(command).toEqual({
      type: 'RaisePatternIndicator',
      data: {
        patternId: patternIdOf(batchId, practice),
        batchId,
        practice,
        peopleAffected: 3,
        threshold: 3,
        instrument: 'Rome Statute',
        provision: '7(1)(d)',
        caseIds: caseIds.slice(0, 3).sort(),
        raisedBy: 'rule:batch-pattern',
        raisedAt: now,
      },
    });
    expect(tally.raised).toBe(true);
  });

  it('ends with the same tally whatever the order the people arrive in', () => {
    const shuffled = [caseIds[4]!, caseIds[0]!, caseIds[7]!, caseIds[2]!];
    expect(counted(shuffled, 3)).toEqual(counted([...shuffled].reverse(), 3));
    expect(counted(shuffled, 3)!.caseIds).toEqual([...shuffled].sort());
  });

  it('counts a person once', () => {
    const before = counted(caseIds.slice(0, 2), 3);
    const { tally, command } = count(before, caseIds[1]!);
    expect(command).toBeNull();
    expect(tally).toEqual(before);
  });

  it('raises once: people affected later are counted, and nothing is raised again', () => {
    const raised = counted(caseIds.slice(0, 3), 3);
    const { tally, command } = count(raised, caseIds[3]!);
    expect(command).toBeNull();
    expect(tally.caseIds).toHaveLength(4);
    expect(tally.raised).toBe(true);
  });

  it('raises at once with a threshold of one', () => {
    expect(count(null, caseIds[0]!, 1).command?.data.caseIds).toEqual([caseIds[0]]);
  });

  it('starts a tally of its own per batch and practice', () => {
    expect(count(null, caseIds[0]!).tally.patternId).toBe(patternIdOf(batchId, practice));
    expect(patternIdOf('batch-other', practice)).not.toBe(patternIdOf(batchId, practice));
    expect(patternIdOf(batchId, 'deportation-without-consent')).not.toBe(patternIdOf(batchId, practice));
  });
});
