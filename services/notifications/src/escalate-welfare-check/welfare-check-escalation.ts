// An overdue welfare check is never silent. When the person has no consenting follower (found by
// the timer as the check becomes overdue), or when every delivery of the overdue notification has
// failed for good (found by the delivery worker as the last one fails), the check is escalated to
// the organisation's on-duty caseworkers (WELFARE_ESCALATION_RECIPIENTS): WelfareCheckEscalated on
// the check's stream and an urgent notification to each, in the caller's transaction.
//
// Only the timer and the delivery worker call this, from their work rows: no event drives it, so
// a replay or a read-model rebuild never escalates. Once per check: the decider records nothing
// for a check already escalated, and the notification ids derive from the overdue event and the
// caseworker, so a retried round queues nothing twice. With nobody on duty it is still recorded
// (outcome `unconfigured`, shown on the check) and logged as a warning, by ids only.
import { DomainError } from '@homeward/decider';
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import {
  escalationNotification,
  overdueNotification,
  welfareCheckDecider,
  welfareCheckStreamId,
  type EscalationReason,
} from '@homeward/notifications-domain';
import type { Logger } from '@homeward/observability';
import type { PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { isErased } from '../erased.js';
import { queueNotifications } from '../queue-notifications/queue-notifications.js';
import { onDutyCaseworkers } from '../recipients/recipients.projection.js';

export interface WelfareCheckEscalationOptions {
  store: EventStore;
  keys: PersonKeys;
  /** Recipient ids of the on-duty caseworkers (config.escalationRecipients). */
  onDuty: readonly string[];
  logger: Logger;
}

export interface OverdueCheck {
  checkId: string;
  personId: string;
  /** The WelfareCheckOverdue event: the cause of the escalation and of its notifications. */
  overdueEventId: string;
  /** When the check became overdue. */
  overdueAt: string;
}

export class WelfareCheckEscalation {
  /** Escalations that queued notifications to on-duty caseworkers. */
  escalated = 0;
  /** Escalations that found no on-duty caseworker to tell. */
  unconfigured = 0;

  constructor(private readonly options: WelfareCheckEscalationOptions) {}

  /** Escalates the check unless it was escalated or cleared already; true when it was escalated now. */
  async escalate(tx: EntityManager, check: OverdueCheck, reason: EscalationReason, context: CommandContext): Promise<boolean> {
    const { store, keys, onDuty, logger } = this.options;
    // Nobody is told about a person who was erased: their checks are cancelled, not escalated.
    if (await isErased(tx, keys, check.personId)) return false;
    const { caseworkers, unusable } = await onDutyCaseworkers(tx, onDuty);
    for (const { recipientId, problem } of unusable) {
      logger.warn({ recipientId, problem }, 'an on-duty recipient of WELFARE_ESCALATION_RECIPIENTS cannot be told; skipped');
    }
    const command = {
      type: 'EscalateWelfareCheck' as const,
      data: {
        checkId: check.checkId,
        causeEventId: check.overdueEventId,
        reason,
        recipientIds: caseworkers.map((caseworker) => caseworker.recipientId),
        at: context.occurredAt,
      },
    };
    try {
      const result = await store.handleIn(
        tx,
        welfareCheckDecider,
        command,
        { streamId: welfareCheckStreamId(check.checkId), subject: check.personId },
        context,
      );
      if (result.eventIds.length === 0) return false;
    } catch (error) {
      // Contact came back before the last delivery failed, or the person was erased: nobody to tell.
      if (error instanceof DomainError && (error.code === 'welfare-check.cleared' || error.code === 'welfare-check.cancelled'))
        return false;
      throw error;
    }
    if (caseworkers.length === 0) {
      this.unconfigured += 1;
      logger.warn(
        { checkId: check.checkId, personId: check.personId, reason },
        'welfare check overdue and nobody on duty to escalate to: set WELFARE_ESCALATION_RECIPIENTS',
      );
      return true;
    }
    const cause = { personId: check.personId, causeEventId: check.overdueEventId, occurredAt: check.overdueAt, ...escalationNotification };
    const queued = await queueNotifications(tx, { store, keys }, cause, caseworkers, context);
    this.escalated += 1;
    logger.warn(
      { checkId: check.checkId, personId: check.personId, reason, queued: queued.length },
      'welfare check escalated to the on-duty caseworkers',
    );
    return true;
  }

  /**
   * After an overdue notification failed for good: escalates when none of that check's overdue
   * notifications was delivered and none is still pending. The check's timer row is locked first,
   * so that two last failures settling at once are counted one after the other.
   */
  async afterOverdueDeliveryFailed(
    tx: EntityManager,
    failed: { overdueEventId: string; overdueAt: string },
    context: CommandContext,
  ): Promise<boolean> {
    const { overdueEventId, overdueAt } = failed;
    const [timer]: Array<{ check_id: string; person_id: string }> = await tx.query(
      `SELECT check_id, person_id FROM welfare_check_timers WHERE overdue_event_id = $1 FOR UPDATE`,
      [overdueEventId],
    );
    if (!timer) return false;
    const [{ reachable }]: Array<{ reachable: number }> = await tx.query(
      `SELECT count(*)::int AS reachable FROM deliveries WHERE cause_event_id = $1 AND kind = $2 AND status <> 'failed'`,
      [overdueEventId, overdueNotification.kind],
    );
    if (reachable > 0) return false;
    const check = { checkId: timer.check_id, personId: timer.person_id, overdueEventId, overdueAt };
    return this.escalate(tx, check, 'deliveries-failed', context);
  }
}
