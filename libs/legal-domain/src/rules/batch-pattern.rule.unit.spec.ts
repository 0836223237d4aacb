// The pattern tallies as pure functions: given who was counted, when one more person of the batch
// (or of the release period) is affected by the practice, then the new tally and, at the
// threshold only, one indicator.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf, patternIdOf, periodPatternIdOf } from '../ids.js';
import { batchScope, countPractice, periodScope, type PracticeTally } from './batch-pattern.rule.js';

const batchId = 'batch-2025-09-11';
const practice = 'passport-confiscation' as const;
const now = '2025-09-12T10:00:00.000Z';
const caseIds = Array.from({ length: 12 }, (_, i) => caseIdOf(`0190a000-0000-7000-8000-0000000004${String(i).padStart(2, '0')}`));

/** The tally after counting these cases with this threshold. */
const counted = (cases: string[], threshold: number) =>
  cases.reduce<PracticeTally | null>(
    (tally, caseId) => countPractice(tally, { scope: batchScope(batchId), practice, caseId }, threshold, now).tally,
    null,
  );
const count = (tally: PracticeTally | null, caseId: string, threshold = 3) =>
  countPractice(tally, { scope: batchScope(batchId), practice, caseId }, threshold, now);

describe('batch pattern rule', () => {
  it('counts a person below the threshold and raises nothing', () => {
    const { tally, command } = count(counted(caseIds.slice(0, 1), 3), caseIds[1]!);
    expect(command).toBeNull();
    expect(tally).toEqual({
      patternId: patternIdOf(batchId, practice),
      batchId,
      periodFrom: '',
      periodTo: '',
      practice,
      caseIds: caseIds.slice(0, 2).sort(),
      raised: false,
    });
  });

  it('raises the indicator for Rome Statute 7(1)(d) when the threshold is reached', () => {
    const { tally, command } = count(counted(caseIds.slice(0, 2), 3), caseIds[2]!);
    expect(command).toEqual({
      type: 'RaisePatternIndicator',
      data: {
        patternId: patternIdOf(batchId, practice),
        batchId,
        periodFrom: '',
        periodTo: '',
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

describe('period pattern rule: the same practice across batches, released in the same period', () => {
  const window = 30;
  const inPeriod = (releasedAt: string) => periodScope(releasedAt, window)!;
  const countIn = (tally: PracticeTally | null, releasedAt: string, caseId: string, threshold = 3) =>
    countPractice(tally, { scope: inPeriod(releasedAt), practice, caseId }, threshold, now);

  describe('periods', () => {
    it('are windows of the configured days counted from 1970-01-01, so a release’s period depends on its date alone', () => {
      expect(periodScope('2025-09-11T14:00:00.000Z', 30)).toEqual({ batchId: '', periodFrom: '2025-09-09', periodTo: '2025-10-08' });
      expect(periodScope('2025-10-08T23:59:59.999Z', 30)).toEqual(periodScope('2025-09-09T00:00:00.000Z', 30));
      expect(periodScope('2025-10-09T00:00:00.000Z', 30)!.periodFrom).toBe('2025-10-09');
      expect(periodScope('2025-09-11T14:00:00.000Z', 1)).toEqual({ batchId: '', periodFrom: '2025-09-11', periodTo: '2025-09-11' });
    });
    it('are unknown for a release without a usable time', () => {
      expect(periodScope('', 30)).toBeNull();
      expect(periodScope('soon', 30)).toBeNull();
    });
  });

  describe('given people of different batches, or none, released in one period', () => {
    const tally = [caseIds[0]!, caseIds[1]!].reduce<PracticeTally | null>(
      (counted, caseId, i) => countIn(counted, `2025-09-1${i}T10:00:00Z`, caseId).tally,
      null,
    );
    it('raises one indicator for the period at the threshold, naming the period and no batch', () => {
      const { command } = countIn(tally, '2025-10-08T10:00:00Z', caseIds[2]!);
      expect(command).toEqual({
        type: 'RaisePatternIndicator',
        data: expect.objectContaining({
          patternId: periodPatternIdOf('2025-09-09', '2025-10-08', practice),
          batchId: '',
          periodFrom: '2025-09-09',
          periodTo: '2025-10-08',
          peopleAffected: 3,
          threshold: 3,
          instrument: 'Rome Statute',
          provision: '7(1)(d)',
          raisedBy: 'rule:period-pattern',
        }),
      });
    });
    it('starts a tally of its own for someone released in the next period', () => {
      expect(countIn(null, '2025-10-09T10:00:00Z', caseIds[2]!).tally).toMatchObject({ periodFrom: '2025-10-09', caseIds: [caseIds[2]] });
      expect(countIn(null, '2025-10-09T10:00:00Z', caseIds[2]!).tally.patternId).not.toBe(tally!.patternId);
    });
    it('counts a person once, however many episodes of theirs fall in the period', () => {
      expect(countIn(tally, '2025-09-10T10:00:00Z', caseIds[1]!)).toEqual({ tally, command: null });
    });
  });

  it('keeps batch and period tallies apart', () => {
    expect(periodPatternIdOf('2025-08-22', '2025-09-20', practice)).not.toBe(patternIdOf(batchId, practice));
  });
});
