import type { notificationsEvents } from '@homeward/contracts';
import type { RetryPolicy } from './retry-policy.js';

/** Queue one notification; `recipientConsent` is the recipient's consent as the caller read it. */
export type QueueNotification = { type: 'QueueNotification'; data: notificationsEvents.NotificationQueued; recipientConsent: boolean };
export type RecordDelivery = { type: 'RecordDelivery'; data: { notificationId: string; deliveredAt: string } };
/** `errorCode` names what failed (e.g. `webhook.http-500`), never the data sent or the address. */
export type RecordDeliveryFailure = {
  type: 'RecordDeliveryFailure';
  data: { notificationId: string; errorCode: string; failedAt: string };
  retry: RetryPolicy;
};

/** Never send it: `reason` is one of cancellationReasons. */
export type CancelNotification = { type: 'CancelNotification'; data: notificationsEvents.NotificationCancelled };

export type NotificationCommand = QueueNotification | RecordDelivery | RecordDeliveryFailure | CancelNotification;
