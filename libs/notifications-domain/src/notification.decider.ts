import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import { notificationIdFor } from './ids.js';
import { isNotificationKind } from './kinds.js';
import type { NotificationCommand } from './notification.commands.js';
import { cancellationReasons, type NotificationDeliveryFailed, type NotificationEvent } from './notification.events.js';
import { nextAttemptAt } from './retry-policy.js';

/** queued: waiting for its (next) attempt; delivered; failed: the last attempt failed, none left; cancelled: never to be sent. */
export type NotificationStatus = 'none' | 'queued' | 'delivered' | 'failed' | 'cancelled';

/** Before it is queued a notification has no attempts; once queued, it counts them. */
export type NotificationState = { status: 'none' } | { status: Exclude<NotificationStatus, 'none'>; attempts: number };

export const initialNotificationState = (): NotificationState => ({ status: 'none' });

/** Stable and free of data: what a log line or a read model may say about a failure. */
const errorCode = /^[a-z0-9][a-z0-9._-]{0,99}$/;

function evolve(state: NotificationState, event: NotificationEvent): NotificationState {
  switch (event.type) {
    case 'NotificationQueued':
      return { status: 'queued', attempts: 0 };
    case 'NotificationDelivered':
      return { status: 'delivered', attempts: event.data.attempt };
    case 'NotificationDeliveryFailed':
      return { status: event.data.nextAttemptAt === undefined ? 'failed' : 'queued', attempts: event.data.attempt };
    case 'NotificationCancelled':
      return state.status === 'none' ? state : { ...state, status: 'cancelled' };
    default:
      return assertNever(event);
  }
}

/** The number of the attempt being recorded, and the refusals shared by both of its outcomes. */
function attemptNumber(state: NotificationState): number {
  switch (state.status) {
    case 'none':
      throw notFound('notification.not-queued', 'no notification with this id was queued');
    case 'delivered':
      throw ruleViolated('notification.already-delivered', 'this notification was delivered; it is never sent again');
    case 'failed':
      throw ruleViolated('notification.delivery-abandoned', 'every attempt allowed for this notification has failed');
    case 'cancelled':
      throw ruleViolated('notification.cancelled', 'this notification was cancelled; it is never sent');
    case 'queued':
      return state.attempts + 1;
    default:
      return assertNever(state);
  }
}

function decide(command: NotificationCommand, state: NotificationState): NotificationEvent[] {
  switch (command.type) {
    case 'QueueNotification': {
      const { notificationId, causeEventId, recipientId, kind } = command.data;
      if (!command.recipientConsent) throw ruleViolated('notification.no-consent', 'the recipient has not consented to notifications');
      if (!isNotificationKind(kind)) throw new DomainError('validation-failed', 'notification.kind-unknown', 'unknown notification kind');
      if (notificationId !== notificationIdFor(kind, causeEventId, recipientId)) {
        throw new DomainError(
          'validation-failed',
          'notification.id-not-derived',
          'a notification id is derived from its kind, cause and recipient',
        );
      }
      // The same cause for the same recipient: already queued once, never again.
      if (state.status !== 'none') return [];
      return [{ type: 'NotificationQueued', data: command.data }];
    }
    case 'RecordDelivery':
      return [
        {
          type: 'NotificationDelivered',
          data: { notificationId: command.data.notificationId, attempt: attemptNumber(state), deliveredAt: command.data.deliveredAt },
        },
      ];
    case 'RecordDeliveryFailure': {
      const attempt = attemptNumber(state);
      const { notificationId, errorCode: code, failedAt } = command.data;
      if (!errorCode.test(code))
        throw new DomainError(
          'validation-failed',
          'notification.error-code-invalid',
          'an error code is lower-case letters, digits and . _ -',
        );
      const next = nextAttemptAt(command.retry, attempt, failedAt);
      const failed: NotificationDeliveryFailed = {
        type: 'NotificationDeliveryFailed',
        data: { notificationId, attempt, errorCode: code, failedAt, ...(next === null ? {} : { nextAttemptAt: next }) },
      };
      return [failed];
    }
    case 'CancelNotification': {
      if (state.status === 'none') throw notFound('notification.not-queued', 'no notification with this id was queued');
      if (!(cancellationReasons as readonly string[]).includes(command.data.reason)) {
        throw new DomainError(
          'validation-failed',
          'notification.cancellation-reason-unknown',
          `a notification is cancelled for ${cancellationReasons.join(' or ')}`,
        );
      }
      // Only what is still waiting is cancelled: a sent or abandoned one stays what it was.
      return state.status === 'queued' ? [{ type: 'NotificationCancelled', data: command.data }] : [];
    }
    default:
      return assertNever(command);
  }
}

export const notificationDecider: Decider<NotificationCommand, NotificationEvent, NotificationState> = {
  decide,
  evolve,
  initialState: initialNotificationState,
};
