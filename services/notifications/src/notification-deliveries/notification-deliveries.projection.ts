// Where each notification about a person stands, for `GET /v1/notifications/deliveries?personId=`.
// Says which recipient and channel, never the address.
import type { notifications } from '@homeward/contracts';
import type { DocumentProjection } from '@homeward/eventsourcing';
import type { NotificationEvent } from '@homeward/notifications-domain';

export type DeliveryDocument = notifications.Delivery;

export const notificationDeliveries: DocumentProjection<DeliveryDocument> = {
  name: 'notification_deliveries',
  handles: [
    'NotificationQueued',
    'NotificationDelivered',
    'NotificationDeliveryFailed',
    'NotificationCancelled',
  ] satisfies NotificationEvent['type'][],
  idOf: (envelope) => (envelope.data as { notificationId: string }).notificationId,
  evolve(doc, envelope) {
    const event = envelope as unknown as NotificationEvent;
    switch (event.type) {
      case 'NotificationQueued': {
        const { notificationId, recipientId, personId, channel, kind, urgent, causeEventId } = event.data;
        return {
          notificationId,
          recipientId,
          personId,
          channel,
          kind,
          urgent,
          causeEventId,
          status: 'queued',
          attempts: 0,
          queuedAt: envelope.recordedAt,
        };
      }
      case 'NotificationDelivered': {
        if (!doc) return null;
        const { nextAttemptAt: _next, ...rest } = doc;
        return {
          ...rest,
          status: 'delivered',
          attempts: event.data.attempt,
          deliveredAt: event.data.deliveredAt,
          lastAttemptAt: event.data.deliveredAt,
        };
      }
      case 'NotificationDeliveryFailed': {
        if (!doc) return null;
        const { nextAttemptAt: _next, ...rest } = doc;
        const { attempt, errorCode, failedAt, nextAttemptAt } = event.data;
        return {
          ...rest,
          status: nextAttemptAt === undefined ? 'failed' : 'queued',
          attempts: attempt,
          lastAttemptAt: failedAt,
          lastErrorCode: errorCode,
          ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
        };
      }
      case 'NotificationCancelled': {
        // Kept as a count by kind and status, ids only: it was never sent.
        if (!doc) return null;
        const { nextAttemptAt: _next, ...rest } = doc;
        return { ...rest, status: 'cancelled' };
      }
    }
  },
};
