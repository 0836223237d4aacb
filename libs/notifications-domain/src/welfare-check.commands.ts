import type { notificationsEvents } from '@homeward/contracts';

export type ScheduleWelfareCheck = { type: 'ScheduleWelfareCheck'; data: notificationsEvents.WelfareCheckScheduled };
/** `at` is when the timer fired. */
export type MarkWelfareCheckOverdue = { type: 'MarkWelfareCheckOverdue'; data: { checkId: string; at: string } };
/** Contact was re-established: `causeEventId` is that ContactReestablished event. */
export type ClearWelfareCheck = { type: 'ClearWelfareCheck'; data: { checkId: string; causeEventId: string; clearedAt: string } };
/**
 * Tell the on-duty caseworkers of an overdue check nobody heard of. `causeEventId` is the
 * WelfareCheckOverdue; `recipientIds` the on-duty caseworkers as the caller resolved them ([]
 * when none is configured); `reason` one of escalationReasons.
 */
export type EscalateWelfareCheck = {
  type: 'EscalateWelfareCheck';
  data: { checkId: string; causeEventId: string; reason: string; recipientIds: string[]; at: string };
};

/** The person was erased: `causeEventId` is intake's PersonForgotten. */
export type CancelWelfareCheck = { type: 'CancelWelfareCheck'; data: { checkId: string; causeEventId: string; cancelledAt: string } };

export type WelfareCheckCommand =
  ScheduleWelfareCheck | MarkWelfareCheckOverdue | ClearWelfareCheck | EscalateWelfareCheck | CancelWelfareCheck;
