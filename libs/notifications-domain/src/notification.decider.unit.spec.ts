import { describe, expect, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import { escalationNotificationIdOf, notificationIdOf } from './ids.js';
import type { NotificationCommand } from './notification.commands.js';
import { notificationDecider } from './notification.decider.js';
import type { NotificationEvent } from './notification.events.js';
import { nextAttemptAt, type RetryPolicy } from './retry-policy.js';

const given = specFor(notificationDecider);
const recipientId = '0190a000-0000-7000-8000-00000000a001';
const personId = '0190a000-0000-7000-8000-000000000001';
const causeEventId = '0190a000-0000-7000-8000-0000000e0001';
const notificationId = notificationIdOf(causeEventId, recipientId);
const retry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

const queued: NotificationEvent = {
  type: 'NotificationQueued',
  data: {
    notificationId,
    recipientId,
    personId,
    causeEventId,
    kind: 'contact-lost',
    urgent: true,
    channel: 'email',
    occurredAt: '2025-09-20T10:00:00.000Z',
  },
};
const queue = (overrides: Partial<typeof queued.data> = {}, recipientConsent = true): NotificationCommand => ({
  type: 'QueueNotification',
  data: { ...queued.data, ...overrides },
  recipientConsent,
});
const deliver: NotificationCommand = { type: 'RecordDelivery', data: { notificationId, deliveredAt: '2025-09-20T10:00:05.000Z' } };
const fail = (failedAt: string, errorCode = 'webhook.http-500'): NotificationCommand => ({
  type: 'RecordDeliveryFailure',
  data: { notificationId, errorCode, failedAt },
  retry,
});
const failed = (attempt: number, failedAt: string, next?: string): NotificationEvent => ({
  type: 'NotificationDeliveryFailed',
  data: { notificationId, attempt, errorCode: 'webhook.http-500', failedAt, ...(next ? { nextAttemptAt: next } : {}) },
});
const firstFailure = failed(1, '2025-09-20T10:00:01.000Z', '2025-09-20T10:00:02.000Z');
const secondFailure = failed(2, '2025-09-20T10:00:02.500Z', '2025-09-20T10:00:04.500Z');
const finalFailure = failed(3, '2025-09-20T10:00:05.000Z');

const cancel = (reason = 'person-forgotten'): NotificationCommand => ({
  type: 'CancelNotification',
  data: { notificationId, reason, cancelledAt: '2025-09-20T10:00:03.000Z' },
});
const cancelled = (reason = 'person-forgotten'): NotificationEvent => ({
  type: 'NotificationCancelled',
  data: { notificationId, reason, cancelledAt: '2025-09-20T10:00:03.000Z' },
});

describe('notification decider', () => {
  describe('given nothing queued', () => {
    it('queues a notification for a consenting recipient', () => given().when(queue()).then(queued));
    it('queues nothing without consent', () => given().when(queue({}, false)).thenThrows('notification.no-consent'));
    it('refuses an id not derived from the cause and the recipient', () =>
      given()
        .when(queue({ notificationId: '0190a000-0000-7000-8000-0000000000ff' }))
        .thenThrows('notification.id-not-derived'));
    it('refuses an unknown kind', () =>
      given()
        .when(queue({ kind: 'birthday' }))
        .thenThrows('notification.kind-unknown'));
    it('queues an escalation to an on-duty caseworker under its own id, apart from the overdue notification to the same recipient', () => {
      const escalationId = escalationNotificationIdOf(causeEventId, recipientId);
      expect(escalationId).not.toBe(notificationIdOf(causeEventId, recipientId));
      const data = { ...queued.data, notificationId: escalationId, kind: 'welfare-check-escalated' };
      given().when({ type: 'QueueNotification', data, recipientConsent: true }).then({ type: 'NotificationQueued', data });
    });
    it("refuses an escalation under the followers' id", () =>
      given()
        .when(queue({ kind: 'welfare-check-escalated' }))
        .thenThrows('notification.id-not-derived'));
    it('cannot deliver what was never queued', () => given().when(deliver).thenThrows('notification.not-queued'));
    it('cannot fail what was never queued', () => given().when(fail('2025-09-20T10:00:01.000Z')).thenThrows('notification.not-queued'));
    it('cannot cancel what was never queued', () => given().when(cancel()).thenThrows('notification.not-queued'));
  });

  describe('given a queued notification', () => {
    it('never queues the same cause for the same recipient twice', () => given(queued).when(queue()).thenNothingHappens());
    it('records the first attempt delivered', () =>
      given(queued)
        .when(deliver)
        .then({ type: 'NotificationDelivered', data: { notificationId, attempt: 1, deliveredAt: '2025-09-20T10:00:05.000Z' } }));
    it('records a failed attempt and when to retry (base delay)', () =>
      given(queued).when(fail('2025-09-20T10:00:01.000Z')).then(firstFailure));
    it('refuses an error code that could carry data', () =>
      given(queued)
        .when(fail('2025-09-20T10:00:01.000Z', 'SMTP said: no such user sister@example.org'))
        .thenThrows('notification.error-code-invalid'));
    it('is cancelled when the person it is about is erased', () => given(queued).when(cancel()).then(cancelled()));
    it('is cancelled when its recipient is erased', () =>
      given(queued).when(cancel('recipient-erased')).then(cancelled('recipient-erased')));
    it('refuses a reason it does not know', () =>
      given(queued).when(cancel('bored')).thenThrows('notification.cancellation-reason-unknown'));
  });

  describe('given failed attempts with retries left', () => {
    it('doubles the delay after the second failure', () =>
      given(queued, firstFailure).when(fail('2025-09-20T10:00:02.500Z')).then(secondFailure));
    it('records the failure of the last allowed attempt as final: no next attempt', () =>
      given(queued, firstFailure, secondFailure).when(fail('2025-09-20T10:00:05.000Z')).then(finalFailure));
    it('records a retry delivered, counting the attempts', () =>
      given(queued, firstFailure)
        .when(deliver)
        .then({ type: 'NotificationDelivered', data: { notificationId, attempt: 2, deliveredAt: '2025-09-20T10:00:05.000Z' } }));
    it('is cancelled before its next attempt', () =>
      given(queued, firstFailure).when(cancel('recipient-erased')).then(cancelled('recipient-erased')));
  });

  describe('given a delivered notification', () => {
    const delivered: NotificationEvent = {
      type: 'NotificationDelivered',
      data: { notificationId, attempt: 1, deliveredAt: '2025-09-20T10:00:05.000Z' },
    };
    it('never delivers it again', () => given(queued, delivered).when(deliver).thenThrows('notification.already-delivered'));
    it('records no failure after it', () =>
      given(queued, delivered).when(fail('2025-09-20T10:00:06.000Z')).thenThrows('notification.already-delivered'));
    it('is still not queued twice', () => given(queued, delivered).when(queue()).thenNothingHappens());
    it('stays delivered when the person is erased afterwards', () => given(queued, delivered).when(cancel()).thenNothingHappens());
  });

  describe('given a notification whose last attempt failed', () => {
    it('makes no further attempt', () =>
      given(queued, firstFailure, secondFailure, finalFailure).when(deliver).thenThrows('notification.delivery-abandoned'));
    it('records no further failure', () =>
      given(queued, firstFailure, secondFailure, finalFailure)
        .when(fail('2025-09-20T10:01:00.000Z'))
        .thenThrows('notification.delivery-abandoned'));
    it('stays failed when the person is erased afterwards', () =>
      given(queued, firstFailure, secondFailure, finalFailure).when(cancel()).thenNothingHappens());
  });

  describe('given a cancelled notification', () => {
    it('is never sent', () => given(queued, cancelled()).when(deliver).thenThrows('notification.cancelled'));
    it('records no failed attempt', () =>
      given(queued, cancelled()).when(fail('2025-09-20T10:00:04.000Z')).thenThrows('notification.cancelled'));
    it('records nothing when cancelled again', () => given(queued, cancelled()).when(cancel('recipient-erased')).thenNothingHappens());
    it('is not queued again for the same cause', () => given(queued, cancelled()).when(queue()).thenNothingHappens());
  });
});

describe('retry policy', () => {
  it('backs off exponentially up to the cap, then gives up', () => {
    const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 5_000 };
    const at = '2025-01-01T00:00:00.000Z';
    expect([1, 2, 3, 4, 5].map((attempt) => nextAttemptAt(policy, attempt, at))).toEqual([
      '2025-01-01T00:00:01.000Z',
      '2025-01-01T00:00:02.000Z',
      '2025-01-01T00:00:04.000Z',
      '2025-01-01T00:00:05.000Z',
      '2025-01-01T00:00:05.000Z',
    ]);
    expect(nextAttemptAt(policy, 10, at)).toBeNull();
  });
});
