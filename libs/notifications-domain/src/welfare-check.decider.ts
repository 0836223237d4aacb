import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import { escalationNotificationIdOf, isUuid, welfareCheckIdOf } from './ids.js';
import { welfareCheckCauses } from './kinds.js';
import type { EscalateWelfareCheck, WelfareCheckCommand } from './welfare-check.commands.js';
import { escalationReasons, type WelfareCheckEvent } from './welfare-check.events.js';

/**
 * escalated: overdue, and the on-duty caseworkers were told (or it was recorded that none is
 * configured); cancelled: the person was erased, nobody is told or escalated to any more.
 */
export type WelfareCheckStatus = 'none' | 'scheduled' | 'overdue' | 'escalated' | 'cleared' | 'cancelled';

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
    case 'WelfareCheckEscalated':
      return { ...state, status: 'escalated' };
    case 'WelfareCheckCancelled':
      return { ...state, status: 'cancelled' };
    default:
      return assertNever(event);
  }
}

const cancelled = () => ruleViolated('welfare-check.cancelled', 'the person was erased; this welfare check is closed');

/** Only an overdue check is escalated, once: a repeated cause (a redelivery, a retried round) adds nothing. */
function escalate(command: EscalateWelfareCheck, state: WelfareCheckState): WelfareCheckEvent[] {
  if (state.status === 'none') throw notFound('welfare-check.not-found', 'no welfare check with this id');
  if (state.status === 'scheduled') throw ruleViolated('welfare-check.not-overdue', 'only an overdue welfare check is escalated');
  if (state.status === 'cleared') throw ruleViolated('welfare-check.cleared', 'contact was re-established; there is nothing to escalate');
  if (state.status === 'cancelled') throw cancelled();
  if (state.status === 'escalated') return [];
  const { checkId, causeEventId, reason, recipientIds, at } = command.data;
  if (!(escalationReasons as readonly string[]).includes(reason)) {
    throw new DomainError('validation-failed', 'welfare-check.escalation-reason-unknown', `a welfare check is escalated for ${escalationReasons.join(' or ')}`);
  }
  if (!recipientIds.every(isUuid) || new Set(recipientIds).size !== recipientIds.length) {
    throw new DomainError('validation-failed', 'welfare-check.recipients-invalid', 'the on-duty recipients are distinct recipient ids');
  }
  return [
    {
      type: 'WelfareCheckEscalated',
      data: {
        checkId,
        personId: state.personId,
        causeEventId,
        reason,
        outcome: recipientIds.length === 0 ? 'unconfigured' : 'escalated',
        recipientIds,
        notificationIds: recipientIds.map((recipientId) => escalationNotificationIdOf(causeEventId, recipientId)),
        escalatedAt: at,
      },
    },
  ];
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
      if (state.status === 'cancelled') throw cancelled();
      if (state.status === 'overdue' || state.status === 'escalated') throw ruleViolated('welfare-check.already-overdue', 'this welfare check is already overdue');
      if (Date.parse(command.data.at) < Date.parse(state.dueAt)) throw ruleViolated('welfare-check.not-due', 'this welfare check is not due yet');
      return [{ type: 'WelfareCheckOverdue', data: { checkId: command.data.checkId, personId: state.personId, dueAt: state.dueAt, overdueAt: command.data.at } }];
    }
    case 'ClearWelfareCheck': {
      if (state.status === 'none') throw notFound('welfare-check.not-found', 'no welfare check with this id');
      // A later contact changes nothing about a check already cleared, or closed by an erasure.
      if (state.status === 'cleared' || state.status === 'cancelled') return [];
      const { checkId, causeEventId, clearedAt } = command.data;
      return [{ type: 'WelfareCheckCleared', data: { checkId, personId: state.personId, causeEventId, clearedAt } }];
    }
    case 'EscalateWelfareCheck':
      return escalate(command, state);
    case 'CancelWelfareCheck': {
      if (state.status === 'none') throw notFound('welfare-check.not-found', 'no welfare check with this id');
      // Only an open check is cancelled; one cleared (or cancelled) already stays as it is.
      if (state.status === 'cleared' || state.status === 'cancelled') return [];
      const { checkId, causeEventId, cancelledAt } = command.data;
      return [{ type: 'WelfareCheckCancelled', data: { checkId, personId: state.personId, causeEventId, reason: 'person-forgotten', cancelledAt } }];
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
