import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import { escalationNotificationIdOf, isUuid, welfareCheckIdOf } from './ids.js';
import { welfareCheckCauses } from './kinds.js';
import type { EscalateWelfareCheck, MarkWelfareCheckOverdue, WelfareCheckCommand } from './welfare-check.commands.js';
import { escalationReasons, type WelfareCheckEvent } from './welfare-check.events.js';

/**
 * escalated: overdue, and the on-duty caseworkers were told (or it was recorded that none is
 * configured); cancelled: the person was erased, nobody is told or escalated to any more.
 */
export type WelfareCheckStatus = 'none' | 'scheduled' | 'overdue' | 'escalated' | 'cleared' | 'cancelled';

/** Before it is scheduled a check has nothing; once scheduled, it always knows whose it is and when it is due. */
export type WelfareCheckState = { status: 'none' } | { status: Exclude<WelfareCheckStatus, 'none'>; personId: string; dueAt: string };
type Scheduled = Exclude<WelfareCheckState, { status: 'none' }>;

export const initialWelfareCheckState = (): WelfareCheckState => ({ status: 'none' });

/** A later step of a scheduled check (a stream always begins with its scheduling). */
const moved = (state: WelfareCheckState, status: Scheduled['status']): WelfareCheckState =>
  state.status === 'none' ? state : { ...state, status };

function evolve(state: WelfareCheckState, event: WelfareCheckEvent): WelfareCheckState {
  switch (event.type) {
    case 'WelfareCheckScheduled':
      return { status: 'scheduled', personId: event.data.personId, dueAt: event.data.dueAt };
    case 'WelfareCheckOverdue':
      return moved(state, 'overdue');
    case 'WelfareCheckCleared':
      return moved(state, 'cleared');
    case 'WelfareCheckEscalated':
      return moved(state, 'escalated');
    case 'WelfareCheckCancelled':
      return moved(state, 'cancelled');
    default:
      return assertNever(event);
  }
}

const cancelled = () => ruleViolated('welfare-check.cancelled', 'the person was erased; this welfare check is closed');

/** Only an overdue check is escalated, once: a repeated cause (a redelivery, a retried round) adds nothing. */
function escalate(command: EscalateWelfareCheck, state: WelfareCheckState): WelfareCheckEvent[] {
  switch (state.status) {
    case 'none':
      throw notFound('welfare-check.not-found', 'no welfare check with this id');
    case 'scheduled':
      throw ruleViolated('welfare-check.not-overdue', 'only an overdue welfare check is escalated');
    case 'cleared':
      throw ruleViolated('welfare-check.cleared', 'contact was re-established; there is nothing to escalate');
    case 'cancelled':
      throw cancelled();
    case 'escalated':
      return [];
    case 'overdue':
      return [escalation(command, state)];
    default:
      return assertNever(state);
  }
}

function escalation(command: EscalateWelfareCheck, state: Scheduled): WelfareCheckEvent {
  const { checkId, causeEventId, reason, recipientIds, at } = command.data;
  if (!(escalationReasons as readonly string[]).includes(reason)) {
    throw new DomainError(
      'validation-failed',
      'welfare-check.escalation-reason-unknown',
      `a welfare check is escalated for ${escalationReasons.join(' or ')}`,
    );
  }
  if (!recipientIds.every(isUuid) || new Set(recipientIds).size !== recipientIds.length) {
    throw new DomainError('validation-failed', 'welfare-check.recipients-invalid', 'the on-duty recipients are distinct recipient ids');
  }
  return {
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
  };
}

function markOverdue({ data }: MarkWelfareCheckOverdue, state: WelfareCheckState): WelfareCheckEvent[] {
  switch (state.status) {
    case 'none':
      throw notFound('welfare-check.not-found', 'no welfare check with this id');
    case 'cleared':
      throw ruleViolated('welfare-check.cleared', 'contact was re-established in time');
    case 'cancelled':
      throw cancelled();
    case 'overdue':
    case 'escalated':
      throw ruleViolated('welfare-check.already-overdue', 'this welfare check is already overdue');
    case 'scheduled':
      if (Date.parse(data.at) < Date.parse(state.dueAt)) throw ruleViolated('welfare-check.not-due', 'this welfare check is not due yet');
      return [
        { type: 'WelfareCheckOverdue', data: { checkId: data.checkId, personId: state.personId, dueAt: state.dueAt, overdueAt: data.at } },
      ];
    default:
      return assertNever(state);
  }
}

/** The check a clearing or a cancellation closes: undefined when it is closed already. */
function stillOpen(state: WelfareCheckState): Scheduled | undefined {
  switch (state.status) {
    case 'none':
      throw notFound('welfare-check.not-found', 'no welfare check with this id');
    case 'cleared':
    case 'cancelled':
      return undefined;
    case 'scheduled':
    case 'overdue':
    case 'escalated':
      return state;
    default:
      return assertNever(state);
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
        throw new DomainError(
          'validation-failed',
          'welfare-check.cause-unknown',
          `a welfare check follows ${welfareCheckCauses.join(' or ')}`,
        );
      }
      if (Number.isNaN(Date.parse(dueAt)))
        throw new DomainError('validation-failed', 'welfare-check.due-at-invalid', 'dueAt must be a date-time');
      // One check per cause: the same return attempt or lost contact schedules nothing new.
      if (state.status !== 'none') return [];
      return [{ type: 'WelfareCheckScheduled', data: command.data }];
    }
    case 'MarkWelfareCheckOverdue':
      return markOverdue(command, state);
    case 'ClearWelfareCheck': {
      // A later contact changes nothing about a check already cleared, or closed by an erasure.
      const open = stillOpen(state);
      if (!open) return [];
      const { checkId, causeEventId, clearedAt } = command.data;
      return [{ type: 'WelfareCheckCleared', data: { checkId, personId: open.personId, causeEventId, clearedAt } }];
    }
    case 'EscalateWelfareCheck':
      return escalate(command, state);
    case 'CancelWelfareCheck': {
      // Only an open check is cancelled; one cleared (or cancelled) already stays as it is.
      const open = stillOpen(state);
      if (!open) return [];
      const { checkId, causeEventId, cancelledAt } = command.data;
      return [
        {
          type: 'WelfareCheckCancelled',
          data: { checkId, personId: open.personId, causeEventId, reason: 'person-forgotten', cancelledAt },
        },
      ];
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
