// Sends what is queued. Driven by the `deliveries` work table, never by events, so nothing a
// replay or a read-model rebuild does can send a message.
//
// One delivery at a time per transaction: claim a due row (FOR UPDATE SKIP LOCKED, so workers in
// several processes never take the same one), send, then in the SAME transaction append
// NotificationDelivered (or NotificationDeliveryFailed with the next attempt) and move the row on.
// The row lock is held while sending; if the process dies, the lock goes with its connection and
// the row is due again. A delivered row is never pending again, so a delivered notification is
// never sent again, across restarts too.
//
// The one window left is at-least-once: a crash (or a failed COMMIT) after the receiver accepted
// the message and before the transaction commits sends it once more on the next attempt. Each
// message carries its notification id (the webhook header x-homeward-notification-id, the email
// Message-ID) so that a receiver can drop the repeat.
import { DomainError } from '@homeward/decider';
import { findDocument, type CommandContext, type EventStore } from '@homeward/eventsourcing';
import {
  nextAttemptAt,
  notificationDecider,
  notificationStreamId,
  overdueNotification,
  type RetryPolicy,
} from '@homeward/notifications-domain';
import type { Logger } from '@homeward/observability';
import { loggableError } from '@homeward/observability';
import { decryptFor, readableOr, type PersonKeys } from '@homeward/personal-data';
import type { DataSource, EntityManager } from 'typeorm';
import { cancelDelivery } from '../cancel-notifications/cancel-notifications.js';
import { erasedAmong } from '../erased.js';
import type { WelfareCheckEscalation } from '../escalate-welfare-check/welfare-check-escalation.js';
import { recipients, type RecipientDocument } from '../recipients/recipients.projection.js';
import type { NotificationMessage } from './notification-message.js';
import type { SendOutcome, Sender, SendTarget } from './senders.js';

export interface DeliveryWorkerOptions {
  dataSource: DataSource;
  store: EventStore;
  /** The recipients' keys: the address and the webhook secret are decrypted here, at send time, and nowhere else. */
  keys: PersonKeys;
  senders: Record<'email' | 'webhook', Sender>;
  retry: RetryPolicy;
  pollMs: number;
  /** Deliveries in flight at once (each holds a connection while it sends). */
  concurrency?: number;
  logger: Logger;
  /** Told when an overdue notification fails for good: nobody hearing of it escalates the check. */
  escalation?: WelfareCheckEscalation;
  now?: () => Date;
}

interface DueDelivery {
  notification_id: string;
  recipient_id: string;
  person_id: string;
  cause_event_id: string;
  channel: string;
  kind: string;
  urgent: boolean;
  occurred_at: Date;
  attempts: number;
}

/** The work row's status when the notification's stream has settled without it. */
const settledBy: Record<string, string> = {
  'notification.already-delivered': 'delivered',
  'notification.delivery-abandoned': 'failed',
  'notification.cancelled': 'cancelled',
};

/** A consent withdrawn after queueing stops the sending: one final failure, no retry. */
const noRetry: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

export class DeliveryWorker {
  private running: Promise<void> | null = null;
  private stopped = true;
  private wake: (() => void) | null = null;
  delivered = 0;
  failed = 0;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Lets the sends in flight finish and record their outcome, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    const lanes = this.options.concurrency ?? 4;
    while (!this.stopped) {
      let worked = false;
      try {
        const results = await Promise.all(Array.from({ length: lanes }, () => this.deliverOne()));
        worked = results.some(Boolean);
      } catch (error) {
        this.options.logger.warn({ err: loggableError(error) }, 'delivery round failed; retrying after a pause');
      }
      if (!worked && !this.stopped) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Claims, sends and records one due delivery; false when none was due. */
  async deliverOne(): Promise<boolean> {
    const { dataSource } = this.options;
    return dataSource.transaction(async (tx) => {
      const [row]: DueDelivery[] = await tx.query(
        `SELECT notification_id, recipient_id, person_id, cause_event_id, channel, kind, urgent, occurred_at, attempts
         FROM deliveries
         WHERE status = 'pending' AND due_at <= now()
         ORDER BY urgent DESC, due_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED`,
      );
      if (!row) return false;
      // Erased since it was queued (the erasure cancels what it finds; this closes the gap of a
      // row queued meanwhile): never sent.
      const erased = await erasedAmong(tx, this.options.keys, [row.recipient_id, row.person_id]);
      if (erased.size > 0) {
        const reason = erased.has(row.recipient_id) ? 'recipient-erased' : 'person-forgotten';
        await cancelDelivery(
          tx,
          this.options.store,
          { notificationId: row.notification_id, personId: row.person_id },
          reason,
          this.contextOf(row),
        );
        return true;
      }
      const recipient = await findDocument<RecipientDocument>(tx, recipients, row.recipient_id);
      const outcome: SendOutcome & { retry?: RetryPolicy } =
        recipient && recipient.consent
          ? await this.send(row, await this.targetOf(tx, recipient))
          : { ok: false, errorCode: 'recipient.no-consent', retry: noRetry };
      await this.record(tx, row, outcome);
      return true;
    });
  }

  /** Taken when the outcome is known: a failure's next attempt counts from then. */
  private contextOf(row: DueDelivery): CommandContext {
    const at = (this.options.now?.() ?? new Date()).toISOString();
    return { actor: 'notifications.delivery-worker', correlationId: row.cause_event_id, causationId: row.notification_id, occurredAt: at };
  }

  /** The plaintext address and webhook secret; "" when one cannot be read (the key is gone) or there is none. */
  private async targetOf(tx: EntityManager, recipient: RecipientDocument): Promise<SendTarget> {
    const key = await this.options.keys.find(tx, recipient.recipientId);
    return {
      address: readableOr(decryptFor(key, 'address', recipient.address)),
      secret: readableOr(decryptFor(key, 'webhookSecret', recipient.webhookSecret ?? '')),
    };
  }

  private async send(row: DueDelivery, target: SendTarget): Promise<SendOutcome & { retry?: RetryPolicy }> {
    if (!target.address) return { ok: false, errorCode: 'recipient.address-unreadable', retry: noRetry };
    const sender = this.options.senders[row.channel as 'email' | 'webhook'];
    if (!sender) return { ok: false, errorCode: 'channel.unknown' };
    const message: NotificationMessage = {
      notificationId: row.notification_id,
      personId: row.person_id,
      kind: row.kind,
      urgent: row.urgent,
      occurredAt: new Date(row.occurred_at).toISOString(),
      causeEventId: row.cause_event_id,
    };
    const outcome = await sender.send(target, message);
    return !outcome.ok && outcome.final ? { ...outcome, retry: noRetry } : outcome;
  }

  private async record(tx: EntityManager, row: DueDelivery, outcome: SendOutcome & { retry?: RetryPolicy }): Promise<void> {
    const context = this.contextOf(row);
    const at = context.occurredAt;
    const target = { streamId: notificationStreamId(row.notification_id), subject: row.person_id };
    const attempt = row.attempts + 1;
    try {
      if (outcome.ok) {
        await this.options.store.handleIn(
          tx,
          notificationDecider,
          { type: 'RecordDelivery', data: { notificationId: row.notification_id, deliveredAt: at } },
          target,
          context,
        );
        await tx.query(`UPDATE deliveries SET status = 'delivered', attempts = $2, updated_at = now() WHERE notification_id = $1`, [
          row.notification_id,
          attempt,
        ]);
        this.delivered += 1;
        return;
      }
      const retry = outcome.retry ?? this.options.retry;
      await this.options.store.handleIn(
        tx,
        notificationDecider,
        { type: 'RecordDeliveryFailure', data: { notificationId: row.notification_id, errorCode: outcome.errorCode, failedAt: at }, retry },
        target,
        context,
      );
      // The decider computed the same next attempt from the same policy; the row follows it.
      const next = nextAttemptAt(retry, attempt, at);
      await tx.query(
        `UPDATE deliveries SET status = $2, attempts = $3, due_at = COALESCE($4::timestamptz, due_at), updated_at = now() WHERE notification_id = $1`,
        [row.notification_id, next === null ? 'failed' : 'pending', attempt, next],
      );
      this.failed += 1;
      this.options.logger.warn(
        { notificationId: row.notification_id, channel: row.channel, attempt, errorCode: outcome.errorCode, final: next === null },
        'delivery attempt failed',
      );
      if (next === null) await this.afterFinalFailure(tx, row, context);
    } catch (error) {
      // The stream says the attempt is settled (delivered, out of attempts, cancelled): the row follows it.
      const status = error instanceof DomainError && Object.hasOwn(settledBy, error.code) ? settledBy[error.code] : undefined;
      if (status) {
        await tx.query(`UPDATE deliveries SET status = $2, updated_at = now() WHERE notification_id = $1`, [row.notification_id, status]);
        if (status === 'failed') await this.afterFinalFailure(tx, row, context);
        return;
      }
      throw error;
    }
  }

  private async afterFinalFailure(tx: EntityManager, row: DueDelivery, context: CommandContext): Promise<void> {
    if (row.kind !== overdueNotification.kind || !this.options.escalation) return;
    await this.options.escalation.afterOverdueDeliveryFailed(
      tx,
      { overdueEventId: row.cause_event_id, overdueAt: new Date(row.occurred_at).toISOString() },
      context,
    );
  }
}
