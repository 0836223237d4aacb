import type { notificationsEvents } from '@homeward/contracts';

export type NotificationQueued = { type: 'NotificationQueued'; data: notificationsEvents.NotificationQueued };
export type NotificationDelivered = { type: 'NotificationDelivered'; data: notificationsEvents.NotificationDelivered };
export type NotificationDeliveryFailed = { type: 'NotificationDeliveryFailed'; data: notificationsEvents.NotificationDeliveryFailed };

export type NotificationCancelled = { type: 'NotificationCancelled'; data: notificationsEvents.NotificationCancelled };

export type NotificationEvent = NotificationQueued | NotificationDelivered | NotificationDeliveryFailed | NotificationCancelled;

/** Why a queued notification is never sent: its recipient was erased, or the person it is about. */
export const cancellationReasons = ['recipient-erased', 'person-forgotten'] as const;
export type CancellationReason = (typeof cancellationReasons)[number];
