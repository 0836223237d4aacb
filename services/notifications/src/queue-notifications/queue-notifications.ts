// Queues one notification per recipient, inside the caller's transaction: the NotificationQueued
// event (its id derived from kind, cause and recipient, so a cause seen twice queues nothing twice)
// and, only when it was really appended, the row the delivery worker sends from. Used by the
// intake consumer, the welfare-check timer and the escalation of a check to the on-duty caseworkers.
// Nothing is queued about an erased person, nor to an erased recipient.
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import { notificationDecider, notificationIdFor, notificationStreamId, type NotificationKind } from '@homeward/notifications-domain';
import type { PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { erasedAmong } from '../erased.js';
import { consentingFollowers, type Follower } from '../recipients/recipients.projection.js';

/** What queueing writes with and asks: the event store, and the keys that record erasures. */
export interface Queueing {
  store: EventStore;
  keys: PersonKeys;
}

export interface NotificationCause {
  personId: string;
  causeEventId: string;
  kind: NotificationKind;
  urgent: boolean;
  /** When the cause happened in the world. */
  occurredAt: string;
}

/** Returns the ids of the notifications queued now ([] for a cause already handled, or about an erased person). */
export async function queueNotifications(
  tx: EntityManager,
  { store, keys }: Queueing,
  cause: NotificationCause,
  recipients: readonly Follower[],
  context: CommandContext,
): Promise<string[]> {
  if (recipients.length === 0) return [];
  const erased = await erasedAmong(tx, keys, [cause.personId, ...recipients.map((recipient) => recipient.recipientId)]);
  if (erased.has(cause.personId)) return [];
  const queued: string[] = [];
  for (const recipient of recipients) {
    if (erased.has(recipient.recipientId)) continue;
    const notificationId = notificationIdFor(cause.kind, cause.causeEventId, recipient.recipientId);
    const result = await store.handleIn(
      tx,
      notificationDecider,
      {
        type: 'QueueNotification',
        recipientConsent: recipient.consent,
        data: {
          notificationId,
          recipientId: recipient.recipientId,
          personId: cause.personId,
          causeEventId: cause.causeEventId,
          kind: cause.kind,
          urgent: cause.urgent,
          channel: recipient.channel,
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
      [
        notificationId,
        recipient.recipientId,
        cause.personId,
        cause.causeEventId,
        recipient.channel,
        cause.kind,
        cause.urgent,
        cause.occurredAt,
      ],
    );
    queued.push(notificationId);
  }
  return queued;
}

/** Queues to every consenting follower of the person; returns how many were queued now. */
export async function queueForFollowers(
  tx: EntityManager,
  queueing: Queueing,
  cause: NotificationCause,
  context: CommandContext,
): Promise<number> {
  return (await queueNotifications(tx, queueing, cause, await consentingFollowers(tx, cause.personId), context)).length;
}
