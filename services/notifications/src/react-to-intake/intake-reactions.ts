// What notifications does when intake records a fact about a person: tell every consenting
// follower; after a return attempt or a lost contact, start a welfare check; when contact is
// re-established, clear the person's open checks; when the person is erased, forget them (see
// forget-person/), and from then on pass over whatever intake still says about them. Runs inside
// the ConsumerRunner's transaction, so the events, the work rows and the Kafka checkpoint commit
// together or not at all.
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import type { ConsumedEvent } from '@homeward/messaging';
import {
  notificationFor,
  welfareCheckCauseOf,
  welfareCheckDecider,
  welfareCheckIdOf,
  welfareCheckStreamId,
  type WelfareCheckCause,
} from '@homeward/notifications-domain';
import type { PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { erasedAmong } from '../erased.js';
import { forgetPerson } from '../forget-person/forget-person.js';
import { queueForFollowers } from '../queue-notifications/queue-notifications.js';

export const notificationsActor = 'notifications';

export interface IntakeReactionsOptions {
  store: EventStore;
  /** Where an erasure is recorded: a person's destroyed key. */
  keys: PersonKeys;
  welfareCheckAfterMs: number;
  now?: () => Date;
}

/** The fact's own time (last contact, attempt) when it has one: the check is due that long after it. */
function welfareClockStart(event: ConsumedEvent): string {
  const data = event.data as { attemptedAt?: string; lastContactAt?: string };
  const candidate = event.type === 'ContactLost' ? data.lastContactAt : data.attemptedAt;
  return candidate && !Number.isNaN(Date.parse(candidate)) ? candidate : event.occurredAt;
}

/** The intake facts notifications acts on; the rest of intake's topic is passed over. */
export const reactsToIntake = (event: ConsumedEvent): boolean =>
  event.type === 'PersonForgotten' ||
  event.type === 'ContactReestablished' ||
  notificationFor(event.type) !== null ||
  welfareCheckCauseOf(event.type) !== null;

const personIdOf = (event: ConsumedEvent): string | null => {
  const personId = (event.data as { personId?: unknown }).personId;
  return typeof personId === 'string' && personId !== '' ? personId : null;
};

export function intakeReactions({ store, keys, welfareCheckAfterMs, now = () => new Date() }: IntakeReactionsOptions) {
  const contextOf = (event: ConsumedEvent): CommandContext => ({
    actor: notificationsActor,
    correlationId: event.correlationId || event.eventId,
    causationId: event.eventId,
    occurredAt: now().toISOString(),
  });

  async function scheduleWelfareCheck(tx: EntityManager, event: ConsumedEvent, personId: string, causeKind: WelfareCheckCause) {
    const checkId = welfareCheckIdOf(event.eventId);
    const dueAt = new Date(Date.parse(welfareClockStart(event)) + welfareCheckAfterMs).toISOString();
    const result = await store.handleIn(
      tx,
      welfareCheckDecider,
      { type: 'ScheduleWelfareCheck', data: { checkId, personId, causeEventId: event.eventId, causeKind, dueAt } },
      { streamId: welfareCheckStreamId(checkId), subject: personId },
      contextOf(event),
    );
    if (result.eventIds.length === 0) return;
    await tx.query(`INSERT INTO welfare_check_timers (check_id, person_id, due_at) VALUES ($1, $2, $3) ON CONFLICT (check_id) DO NOTHING`, [
      checkId,
      personId,
      dueAt,
    ]);
  }

  async function clearWelfareChecks(tx: EntityManager, event: ConsumedEvent, personId: string) {
    const open: Array<{ check_id: string }> = await tx.query(
      `SELECT check_id FROM welfare_check_timers WHERE person_id = $1 AND status <> 'cleared' ORDER BY due_at FOR UPDATE`,
      [personId],
    );
    for (const { check_id: checkId } of open) {
      await store.handleIn(
        tx,
        welfareCheckDecider,
        { type: 'ClearWelfareCheck', data: { checkId, causeEventId: event.eventId, clearedAt: now().toISOString() } },
        { streamId: welfareCheckStreamId(checkId), subject: personId },
        contextOf(event),
      );
      await tx.query(`UPDATE welfare_check_timers SET status = 'cleared', updated_at = now() WHERE check_id = $1`, [checkId]);
    }
  }

  return async function handle(tx: EntityManager, events: ConsumedEvent[]): Promise<void> {
    const relevant = events.filter(reactsToIntake);
    // One query for the batch: people erased already are passed over, not dead-lettered.
    const erased = await erasedAmong(tx, keys, [...new Set(relevant.map(personIdOf).filter((id): id is string => id !== null))]);
    for (const event of relevant) {
      const personId = personIdOf(event);
      if (personId === null || erased.has(personId)) continue;
      if (event.type === 'PersonForgotten') {
        await forgetPerson(tx, { store, keys }, personId, event.eventId, contextOf(event));
        erased.add(personId);
        continue;
      }
      if (event.type === 'ContactReestablished') await clearWelfareChecks(tx, event, personId);
      const notification = notificationFor(event.type);
      if (notification) {
        await queueForFollowers(
          tx,
          { store, keys },
          { personId, causeEventId: event.eventId, occurredAt: event.occurredAt, ...notification },
          contextOf(event),
        );
      }
      const cause = welfareCheckCauseOf(event.type);
      if (cause) await scheduleWelfareCheck(tx, event, personId, cause);
    }
  };
}
