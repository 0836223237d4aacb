// Cancels what is queued and not yet sent, inside the caller's transaction: NotificationCancelled
// on the notification's stream and the work row moved to `cancelled`, so the delivery worker never
// takes it again. Used by the erasure of a recipient, by intake's PersonForgotten, and by the
// delivery worker itself when it claims a row whose recipient or person was erased meanwhile.
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import { notificationDecider, notificationStreamId, type CancellationReason } from '@homeward/notifications-domain';
import type { EntityManager } from 'typeorm';

export interface QueuedDelivery {
  notificationId: string;
  personId: string;
}

export async function cancelDelivery(
  tx: EntityManager,
  store: EventStore,
  delivery: QueuedDelivery,
  reason: CancellationReason,
  context: CommandContext,
): Promise<void> {
  const { notificationId, personId } = delivery;
  await store.handleIn(
    tx,
    notificationDecider,
    { type: 'CancelNotification', data: { notificationId, reason, cancelledAt: context.occurredAt } },
    { streamId: notificationStreamId(notificationId), subject: personId },
    context,
  );
  await tx.query(`UPDATE deliveries SET status = 'cancelled', updated_at = now() WHERE notification_id = $1`, [notificationId]);
}

/**
 * Cancels every pending delivery to a recipient or about a person; returns how many. The rows are
 * locked first, so a send in flight finishes (and is recorded) before its row is looked at.
 */
export async function cancelPendingDeliveries(
  tx: EntityManager,
  store: EventStore,
  of: { recipientId: string } | { personId: string },
  reason: CancellationReason,
  context: CommandContext,
): Promise<number> {
  const [whose, id] = 'recipientId' in of ? ['recipient_id = $1::uuid', of.recipientId] : ['person_id = $1', of.personId];
  const rows: Array<{ notification_id: string; person_id: string }> = await tx.query(
    `SELECT notification_id, person_id FROM deliveries WHERE ${whose} AND status = 'pending' ORDER BY notification_id FOR UPDATE`,
    [id],
  );
  for (const row of rows)
    await cancelDelivery(tx, store, { notificationId: row.notification_id, personId: row.person_id }, reason, context);
  return rows.length;
}

/** The context of what an erasure does besides its own event: same actor and time, caused by that event, no Idempotency-Key of its own. */
export const followUpContext = (context: CommandContext, causationId: string): CommandContext => ({
  actor: context.actor,
  correlationId: context.correlationId,
  causationId,
  occurredAt: context.occurredAt,
  ...(context.traceparent ? { traceparent: context.traceparent } : {}),
});
