import { assertNever, DomainError, ruleViolated, type Decider } from '@homeward/decider';
import type { PatternCommand } from './pattern.commands.js';
import type { PatternEvent } from './pattern.events.js';
import { patternIdOf } from './ids.js';
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
 * An indicator is raised once per (batch, practice): it asks a person to review the batch, and
 * more people affected later do not ask again (the patterns read model keeps counting them).
 */
function decide(command: PatternCommand, state: PatternState): PatternEvent[] {
  switch (command.type) {
    case 'RaisePatternIndicator': {
      const { data } = command;
      if (!data.batchId) throw new DomainError('validation-failed', 'pattern.batch-required', 'a pattern is looked for within a release batch');
      if (!isOneOf(practices, data.practice)) throw new DomainError('validation-failed', 'pattern.practice-unknown', `practice must be one of ${practices.join(', ')}`);
      if (data.patternId !== patternIdOf(data.batchId, data.practice)) throw ruleViolated('pattern.id-mismatch', 'a pattern id is derived from its batch and practice');
      if (state.raised) return [];
      const people = new Set(data.caseIds).size;
      if (people !== data.caseIds.length || people !== data.peopleAffected) {
        throw new DomainError('validation-failed', 'pattern.count-mismatch', 'peopleAffected counts the distinct cases');
      }
      if (data.threshold < 1 || people < data.threshold) throw ruleViolated('pattern.below-threshold', 'fewer people are affected than the threshold');
      return [{ type: 'PatternIndicatorRaised', data }];
    }
    default:
      return assertNever(command.type);
  }
}

export const patternDecider: Decider<PatternCommand, PatternEvent, PatternState> = { decide, evolve, initialState: initialPatternState };
