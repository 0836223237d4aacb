import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import { welfareCheckIdOf } from './ids.js';
import { welfareCheckCauses } from './kinds.js';
import type { WelfareCheckCommand } from './welfare-check.commands.js';
import type { WelfareCheckEvent } from './welfare-check.events.js';

export type WelfareCheckStatus = 'none' | 'scheduled' | 'overdue' | 'cleared';

export interface WelfareCheckState {
  status: WelfareCheckStatus;
  personId: string;
  dueAt: string;
}

export const initialWelfareCheckState = (): WelfareCheckState => ({ status: 'none', personId: '', dueAt: '' });

function evolve(state: WelfareCheckState, event: WelfareCheckEvent): WelfareCheckState {
  switch (event.type) {
    case 'WelfareCheckScheduled':
      return { status: 'scheduled', personId: event.data.personId, dueAt: event.data.dueAt };
    case 'WelfareCheckOverdue':
      return { ...state, status: 'overdue' };
    case 'WelfareCheckCleared':
      return { ...state, status: 'cleared' };
    default:
      return assertNever(event);
  }
}

function decide(command: WelfareCheckCommand, state: WelfareCheckState): WelfareCheckEvent[] {
  switch (command.type) {
    case 'ScheduleWelfareCheck': {
      const { checkId, causeEventId, causeKind, dueAt } = command.data;
      if (checkId !== welfareCheckIdOf(causeEventId)) {
        throw new DomainError('validation-failed', 'welfare-check.id-not-derived', 'a welfare check id is derived from its cause');
      }
      if (!(welfareCheckCauses as readonly string[]).includes(causeKind)) {
        throw new DomainError('validation-failed', 'welfare-check.cause-unknown', `a welfare check follows ${welfareCheckCauses.join(' or ')}`);
      }
      if (Number.isNaN(Date.parse(dueAt))) throw new DomainError('validation-failed', 'welfare-check.due-at-invalid', 'dueAt must be a date-time');
      // One check per cause: the same return attempt or lost contact schedules nothing new.
      if (state.status !== 'none') return [];
      return [{ type: 'WelfareCheckScheduled', data: command.data }];
    }
    case 'MarkWelfareCheckOverdue': {
      if (state.status === 'none') throw notFound('welfare-check.not-found', 'no welfare check with this id');
      if (state.status === 'cleared') throw ruleViolated('welfare-check.cleared', 'contact was re-established in time');
      if (state.status === 'overdue') throw ruleViolated('welfare-check.already-overdue', 'this welfare check is already overdue');
      if (Date.parse(command.data.at) < Date.parse(state.dueAt)) throw ruleViolated('welfare-check.not-due', 'this welfare check is not due yet');
      return [{ type: 'WelfareCheckOverdue', data: { checkId: command.data.checkId, personId: state.personId, dueAt: state.dueAt, overdueAt: command.data.at } }];
    }
    case 'ClearWelfareCheck': {
      if (state.status === 'none') throw notFound('welfare-check.not-found', 'no welfare check with this id');
      // A later contact changes nothing about a check already cleared.
      if (state.status === 'cleared') return [];
      const { checkId, causeEventId, clearedAt } = command.data;
      return [{ type: 'WelfareCheckCleared', data: { checkId, personId: state.personId, causeEventId, clearedAt } }];
    }
    default:
      return assertNever(command);
  }
}

export const welfareCheckDecider: Decider<WelfareCheckCommand, WelfareCheckEvent, WelfareCheckState> = {
  decide,
  evolve,
  initialState: initialWelfareCheckState,
};
