// Queues one notification per consenting follower of a person, inside the caller's transaction:
// the NotificationQueued event (its id derived from cause and recipient, so a cause seen twice
// queues nothing twice) and, only when it was really appended, the row the delivery worker sends
// from. Used by the intake consumer and by the welfare-check timer.
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import { notificationDecider, notificationIdOf, notificationStreamId, type NotificationKind } from '@homeward/notifications-domain';
import type { EntityManager } from 'typeorm';
import { consentingFollowers } from '../recipients/recipients.projection.js';

export interface NotificationCause {
  personId: string;
  causeEventId: string;
  kind: NotificationKind;
  urgent: boolean;
  /** When the cause happened in the world. */
  occurredAt: string;
}

/** Returns how many notifications were queued (0 for a cause already handled). */
export async function queueForFollowers(tx: EntityManager, store: EventStore, cause: NotificationCause, context: CommandContext): Promise<number> {
  let queued = 0;
  for (const follower of await consentingFollowers(tx, cause.personId)) {
    const notificationId = notificationIdOf(cause.causeEventId, follower.recipientId);
    const result = await store.handleIn(
      tx,
      notificationDecider,
      {
        type: 'QueueNotification',
        recipientConsent: follower.consent,
        data: {
          notificationId,
          recipientId: follower.recipientId,
          personId: cause.personId,
          causeEventId: cause.causeEventId,
          kind: cause.kind,
          urgent: cause.urgent,
          channel: follower.channel,
          occurredAt: cause.occurredAt,
        },
      },
      { streamId: notificationStreamId(notificationId), subject: cause.personId },
      context,
    );
    if (result.eventIds.length === 0) continue;
    await tx.query(
      `INSERT INTO deliveries (notification_id, recipient_id, person_id, cause_event_id, channel, kind, urgent, occurred_at, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (notification_id) DO NOTHING`,
      [notificationId, follower.recipientId, cause.personId, cause.causeEventId, follower.channel, cause.kind, cause.urgent, cause.occurredAt],
    );
    queued += 1;
  }
  return queued;
}
