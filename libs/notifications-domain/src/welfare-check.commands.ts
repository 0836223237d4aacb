import type { notificationsEvents } from '@homeward/contracts';

export type ScheduleWelfareCheck = { type: 'ScheduleWelfareCheck'; data: notificationsEvents.WelfareCheckScheduled };
/** `at` is when the timer fired. */
export type MarkWelfareCheckOverdue = { type: 'MarkWelfareCheckOverdue'; data: { checkId: string; at: string } };
/** Contact was re-established: `causeEventId` is that ContactReestablished event. */
export type ClearWelfareCheck = { type: 'ClearWelfareCheck'; data: { checkId: string; causeEventId: string; clearedAt: string } };

export type WelfareCheckCommand = ScheduleWelfareCheck | MarkWelfareCheckOverdue | ClearWelfareCheck;
