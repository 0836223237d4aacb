import type { notificationsEvents } from '@homeward/contracts';

export type NotificationQueued = { type: 'NotificationQueued'; data: notificationsEvents.NotificationQueued };
export type NotificationDelivered = { type: 'NotificationDelivered'; data: notificationsEvents.NotificationDelivered };
export type NotificationDeliveryFailed = { type: 'NotificationDeliveryFailed'; data: notificationsEvents.NotificationDeliveryFailed };

export type NotificationEvent = NotificationQueued | NotificationDelivered | NotificationDeliveryFailed;
