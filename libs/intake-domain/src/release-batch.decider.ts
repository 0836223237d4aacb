import { assertNever, ruleViolated, type Decider } from '@homeward/decider';
import type { ReleaseBatchCommand } from './release-batch.commands.js';
import type { ReleaseBatchEvent } from './release-batch.events.js';

// Releases may name a batch that was never announced (the announcement is often late or never
// public); the batch summary counts them anyway. Only the announcement itself is decided here.
export interface ReleaseBatchState {
  announced: boolean;
}

export const initialReleaseBatchState = (): ReleaseBatchState => ({ announced: false });

export function evolveReleaseBatch(state: ReleaseBatchState, event: ReleaseBatchEvent): ReleaseBatchState {
  switch (event.type) {
    case 'ReleaseBatchAnnounced':
      return { ...state, announced: true };
    default:
      return assertNever(event.type);
  }
}

export function decideReleaseBatch(command: ReleaseBatchCommand, state: ReleaseBatchState): ReleaseBatchEvent[] {
  switch (command.type) {
    case 'AnnounceReleaseBatch':
      if (state.announced) throw ruleViolated('release-batch.already-announced', 'this release batch is already announced');
      return [{ type: 'ReleaseBatchAnnounced', data: command.data }];
    default:
      return assertNever(command.type);
  }
}

export const releaseBatchDecider: Decider<ReleaseBatchCommand, ReleaseBatchEvent, ReleaseBatchState> = {
  decide: decideReleaseBatch,
  evolve: evolveReleaseBatch,
  initialState: initialReleaseBatchState,
};
