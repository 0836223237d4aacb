import { assertNever, DomainError, ruleViolated, type Decider } from '@homeward/decider';
import type { PatternCommand } from './pattern.commands.js';
import type { PatternEvent } from './pattern.events.js';
import { patternIdOfScope } from './rules/batch-pattern.rule.js';
import { datePattern } from '@homeward/vocabulary';
import { isOneOf, practices } from './legal.vocabulary.js';

export interface PatternState {
  raised: boolean;
}

export const initialPatternState = (): PatternState => ({ raised: false });

function evolve(state: PatternState, event: PatternEvent): PatternState {
  switch (event.type) {
    case 'PatternIndicatorRaised':
      return { ...state, raised: true };
    default:
      return assertNever(event.type);
  }
}

/**
 * An indicator is raised once per (batch, practice) or (release period, practice): it asks a
 * person to review the batch or the period, and more people affected later do not ask again (the
 * patterns read model keeps counting them).
 */
function decide(command: PatternCommand, state: PatternState): PatternEvent[] {
  switch (command.type) {
    case 'RaisePatternIndicator': {
      const { data } = command;
      const period = Boolean(data.periodFrom || data.periodTo);
      if (!data.batchId && !period)
        throw new DomainError(
          'validation-failed',
          'pattern.batch-required',
          'a pattern is looked for within a release batch or a release period',
        );
      if (data.batchId && period)
        throw new DomainError(
          'validation-failed',
          'pattern.scope-ambiguous',
          'a pattern is about a release batch or a release period, not both',
        );
      if (period && !(datePattern.test(data.periodFrom) && datePattern.test(data.periodTo) && data.periodFrom <= data.periodTo)) {
        throw new DomainError(
          'validation-failed',
          'pattern.period-invalid',
          'a release period runs from one date (YYYY-MM-DD) to the same or a later one',
        );
      }
      if (!isOneOf(practices, data.practice))
        throw new DomainError('validation-failed', 'pattern.practice-unknown', `practice must be one of ${practices.join(', ')}`);
      const scope = data.batchId
        ? { batchId: data.batchId, periodFrom: '' as const, periodTo: '' as const }
        : { batchId: '' as const, periodFrom: data.periodFrom, periodTo: data.periodTo };
      if (data.patternId !== patternIdOfScope(scope, data.practice))
        throw ruleViolated('pattern.id-mismatch', 'a pattern id is derived from its batch or period, and its practice');
      if (state.raised) return [];
      const people = new Set(data.caseIds).size;
      if (people !== data.caseIds.length || people !== data.peopleAffected) {
        throw new DomainError('validation-failed', 'pattern.count-mismatch', 'peopleAffected counts the distinct cases');
      }
      if (data.threshold < 1 || people < data.threshold)
        throw ruleViolated('pattern.below-threshold', 'fewer people are affected than the threshold');
      return [{ type: 'PatternIndicatorRaised', data }];
    }
    default:
      return assertNever(command.type);
  }
}

export const patternDecider: Decider<PatternCommand, PatternEvent, PatternState> = { decide, evolve, initialState: initialPatternState };
