import type { notificationsEvents } from '@homeward/contracts';

export type WelfareCheckScheduled = { type: 'WelfareCheckScheduled'; data: notificationsEvents.WelfareCheckScheduled };
export type WelfareCheckOverdue = { type: 'WelfareCheckOverdue'; data: notificationsEvents.WelfareCheckOverdue };
export type WelfareCheckCleared = { type: 'WelfareCheckCleared'; data: notificationsEvents.WelfareCheckCleared };

export type WelfareCheckEvent = WelfareCheckScheduled | WelfareCheckOverdue | WelfareCheckCleared;
