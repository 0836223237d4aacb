import type { notificationsEvents } from '@homeward/contracts';

export type WelfareCheckScheduled = { type: 'WelfareCheckScheduled'; data: notificationsEvents.WelfareCheckScheduled };
export type WelfareCheckOverdue = { type: 'WelfareCheckOverdue'; data: notificationsEvents.WelfareCheckOverdue };
export type WelfareCheckCleared = { type: 'WelfareCheckCleared'; data: notificationsEvents.WelfareCheckCleared };
export type WelfareCheckEscalated = { type: 'WelfareCheckEscalated'; data: notificationsEvents.WelfareCheckEscalated };

export type WelfareCheckCancelled = { type: 'WelfareCheckCancelled'; data: notificationsEvents.WelfareCheckCancelled };

export type WelfareCheckEvent =
  WelfareCheckScheduled | WelfareCheckOverdue | WelfareCheckCleared | WelfareCheckEscalated | WelfareCheckCancelled;

/** Why an overdue check is escalated: nobody follows the person, or nobody could be reached. */
export const escalationReasons = ['no-followers', 'deliveries-failed'] as const;
export type EscalationReason = (typeof escalationReasons)[number];
/** unconfigured: no on-duty caseworker is configured, so the escalation reached nobody either. */
export type EscalationOutcome = 'escalated' | 'unconfigured';
