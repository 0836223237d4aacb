// Intake's PersonForgotten, as notifications carries it out, in the consumer's transaction (so
// within seconds of the erasure, and exactly once with the checkpoint): the person is marked
// erased here (their key destroyed: person_keys is this service's record of every erasure), their
// open welfare checks and timers are cancelled, nothing queued about them is ever sent, nobody
// follows them any more, and no fingerprint of a request that named them is kept. What stays are
// ids and counts: how many notifications of which kind, and how each ended.
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import { recipientDecider, recipientStreamId, welfareCheckDecider, welfareCheckStreamId } from '@homeward/notifications-domain';
import type { PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { cancelPendingDeliveries } from '../cancel-notifications/cancel-notifications.js';

export interface ForgetPersonOptions {
  store: EventStore;
  keys: PersonKeys;
}

export interface Forgotten {
  checksCancelled: number;
  deliveriesCancelled: number;
  followersDropped: number;
}

/** `context` is caused by the PersonForgotten event, whose id `causeEventId` is. */
export async function forgetPerson(
  tx: EntityManager,
  { store, keys }: ForgetPersonOptions,
  personId: string,
  causeEventId: string,
  context: CommandContext,
): Promise<Forgotten> {
  await keys.destroy(tx, personId);

  // Timers first: a timer firing now holds its row, and what it queues is committed (and so seen
  // below) before this goes on.
  const open: Array<{ check_id: string }> = await tx.query(
    `SELECT check_id FROM welfare_check_timers WHERE person_id = $1 AND status IN ('pending', 'overdue') ORDER BY check_id FOR UPDATE`,
    [personId],
  );
  for (const { check_id: checkId } of open) {
    await store.handleIn(
      tx,
      welfareCheckDecider,
      { type: 'CancelWelfareCheck', data: { checkId, causeEventId, cancelledAt: context.occurredAt } },
      { streamId: welfareCheckStreamId(checkId), subject: personId },
      context,
    );
    await tx.query(`UPDATE welfare_check_timers SET status = 'cancelled', updated_at = now() WHERE check_id = $1`, [checkId]);
  }

  const deliveriesCancelled = await cancelPendingDeliveries(tx, store, { personId }, 'person-forgotten', context);

  const followers: Array<{ id: string }> = await tx.query(`SELECT id FROM recipients WHERE doc->'follows' @> $1::jsonb ORDER BY id`, [
    JSON.stringify([personId]),
  ]);
  for (const { id: recipientId } of followers) {
    await store.handleIn(
      tx,
      recipientDecider,
      { type: 'UnfollowPerson', data: { recipientId, personId } },
      { streamId: recipientStreamId(recipientId), subject: recipientId },
      context,
    );
  }

  // A registration or a change of follows that named the person: its keyed fingerprint goes, for
  // every recipient who ever followed them (a retry of such a request answers idempotency-key-reused).
  const everFollowed = await store.subjectsOf(tx, {
    types: ['RecipientRegistered', 'RecipientFollowsChanged'],
    data: { follows: [personId] },
  });
  await store.forgetRequests(tx, everFollowed);
  return { checksCancelled: open.length, deliveriesCancelled, followersDropped: followers.length };
}
