// given / when / then for deciders: given(past events).when(command).then(new events) | .thenThrows(code)
import { expect } from '@jest/globals';
import { fold, type Decider } from '../decider.js';
import { DomainError } from '../problem.js';

export function specFor<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return (...history: Event[]) => ({
    when(command: Command) {
      const run = () => decider.decide(command, fold(decider, history));
      return {
        then(...expected: Event[]) {
          expect(run()).toEqual(expected);
        },
        thenNothingHappens() {
          expect(run()).toEqual([]);
        },
        thenThrows(code: string) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe(code);
        },
      };
    },
  });
}
