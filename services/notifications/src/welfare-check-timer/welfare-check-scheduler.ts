// The durable timer of welfare checks: a check is a row in welfare_check_timers with its due_at,
// written with WelfareCheckScheduled; there is nothing in memory to lose, so a restart only
// delays the next poll. Every WELFARE_CHECK_POLL_MS the scheduler claims due rows (FOR UPDATE
// SKIP LOCKED, one per transaction) and, unless a ContactReestablished cleared the check first,
// appends WelfareCheckOverdue and queues an urgent notification to every consenting follower, in
// the same transaction; with no consenting follower it escalates the check to the on-duty
// caseworkers there and then (see escalate-welfare-check/). A clearing consumer that holds the row
// makes the scheduler skip it; one that comes after finds the check overdue and clears it.
import { DomainError } from '@homeward/decider';
import type { CommandContext, EventStore } from '@homeward/eventsourcing';
import { overdueNotification, welfareCheckDecider, welfareCheckStreamId } from '@homeward/notifications-domain';
import { loggableError, type Logger } from '@homeward/observability';
import type { PersonKeys } from '@homeward/personal-data';
import type { DataSource } from 'typeorm';
import type { WelfareCheckEscalation } from '../escalate-welfare-check/welfare-check-escalation.js';
import { queueNotifications } from '../queue-notifications/queue-notifications.js';
import { consentingFollowers } from '../recipients/recipients.projection.js';

export interface WelfareCheckSchedulerOptions {
  dataSource: DataSource;
  store: EventStore;
  keys: PersonKeys;
  pollMs: number;
  logger: Logger;
  escalation: WelfareCheckEscalation;
  now?: () => Date;
}

/** The timer row's status when the stream has moved on without it (cleared, overdue already, cancelled by an erasure). */
const settledBy: Record<string, string> = {
  'welfare-check.cleared': 'cleared',
  'welfare-check.already-overdue': 'overdue',
  'welfare-check.cancelled': 'cancelled',
};

export class WelfareCheckScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  overdue = 0;

  constructor(private readonly options: WelfareCheckSchedulerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.options.logger.warn({ err: loggableError(error) }, 'welfare-check round failed; retrying at the next poll'),
        )
        .finally(() => this.schedule(this.options.pollMs));
    }, delayMs);
  }

  /** Handles every check due now; returns how many became overdue. */
  async runDue(): Promise<number> {
    let count = 0;
    while (!this.stopped) {
      const handled = await this.handleOne();
      if (handled === null) break;
      if (handled) count += 1;
    }
    return count;
  }

  /** null: nothing due; true: a check became overdue; false: it had been settled meanwhile. */
  private handleOne(): Promise<boolean | null> {
    const at = (this.options.now?.() ?? new Date()).toISOString();
    return this.options.dataSource.transaction(async (tx) => {
      const [timer]: Array<{ check_id: string; person_id: string }> = await tx.query(
        `SELECT check_id, person_id FROM welfare_check_timers
         WHERE status = 'pending' AND due_at <= $1
         ORDER BY due_at LIMIT 1
         FOR UPDATE SKIP LOCKED`,
        [at],
      );
      if (!timer) return null;
      const { check_id: checkId, person_id: personId } = timer;
      const context: CommandContext = {
        actor: 'notifications.welfare-check-timer',
        correlationId: checkId,
        causationId: checkId,
        occurredAt: at,
      };
      try {
        const result = await this.options.store.handleIn(
          tx,
          welfareCheckDecider,
          { type: 'MarkWelfareCheckOverdue', data: { checkId, at } },
          { streamId: welfareCheckStreamId(checkId), subject: personId },
          context,
        );
        const overdueEventId = result.eventIds[0]!;
        await tx.query(
          `UPDATE welfare_check_timers SET status = 'overdue', overdue_event_id = $2, updated_at = now() WHERE check_id = $1`,
          [checkId, overdueEventId],
        );
        const followers = await consentingFollowers(tx, personId);
        const cause = { personId, causeEventId: overdueEventId, occurredAt: at, ...overdueNotification };
        const queued = await queueNotifications(tx, this.options, cause, followers, context);
        this.overdue += 1;
        this.options.logger.info({ checkId, queued: queued.length }, 'welfare check overdue');
        if (followers.length === 0)
          await this.options.escalation.escalate(tx, { checkId, personId, overdueEventId, overdueAt: at }, 'no-followers', context);
        return true;
      } catch (error) {
        // The stream has moved on without the timer (cleared, overdue already, or cancelled): the row follows it.
        const status = error instanceof DomainError && Object.hasOwn(settledBy, error.code) ? settledBy[error.code] : undefined;
        if (status) {
          await tx.query(`UPDATE welfare_check_timers SET status = $2, updated_at = now() WHERE check_id = $1`, [checkId, status]);
          return false;
        }
        throw error;
      }
    });
  }
}
