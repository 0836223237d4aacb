import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import { escalationNotificationIdOf, welfareCheckIdOf } from './ids.js';
import type { WelfareCheckCommand } from './welfare-check.commands.js';
import { welfareCheckDecider } from './welfare-check.decider.js';
import type { WelfareCheckEvent } from './welfare-check.events.js';

const given = specFor(welfareCheckDecider);
const personId = '0190a000-0000-7000-8000-000000000001';
const causeEventId = '0190a000-0000-7000-8000-0000000e0001';
const contactEventId = '0190a000-0000-7000-8000-0000000e0002';
const checkId = welfareCheckIdOf(causeEventId);
const dueAt = '2025-09-22T10:00:00.000Z';

const scheduled: WelfareCheckEvent = {
  type: 'WelfareCheckScheduled',
  data: { checkId, personId, causeEventId, causeKind: 'contact-lost', dueAt },
};
const schedule = (overrides: Partial<typeof scheduled.data> = {}): WelfareCheckCommand => ({
  type: 'ScheduleWelfareCheck',
  data: { ...scheduled.data, ...overrides },
});
const markOverdue = (at: string): WelfareCheckCommand => ({ type: 'MarkWelfareCheckOverdue', data: { checkId, at } });
const clear: WelfareCheckCommand = {
  type: 'ClearWelfareCheck',
  data: { checkId, causeEventId: contactEventId, clearedAt: '2025-09-21T09:00:00.000Z' },
};
const overdue: WelfareCheckEvent = {
  type: 'WelfareCheckOverdue',
  data: { checkId, personId, dueAt, overdueAt: '2025-09-22T10:00:01.000Z' },
};
const cleared: WelfareCheckEvent = {
  type: 'WelfareCheckCleared',
  data: { checkId, personId, causeEventId: contactEventId, clearedAt: '2025-09-21T09:00:00.000Z' },
};

// The overdue event is the escalation's cause; the on-duty caseworkers come from the configuration.
const overdueEventId = '0190a000-0000-7000-8000-0000000e0003';
const onDuty = ['0190a000-0000-7000-8000-00000000c001', '0190a000-0000-7000-8000-00000000c002'];
const escalatedAt = '2025-09-22T10:00:02.000Z';
const escalate = (overrides: Partial<{ reason: string; recipientIds: string[] }> = {}): WelfareCheckCommand => ({
  type: 'EscalateWelfareCheck',
  data: { checkId, causeEventId: overdueEventId, reason: 'no-followers', recipientIds: onDuty, at: escalatedAt, ...overrides },
});
const escalated: WelfareCheckEvent = {
  type: 'WelfareCheckEscalated',
  data: {
    checkId,
    personId,
    causeEventId: overdueEventId,
    reason: 'no-followers',
    outcome: 'escalated',
    recipientIds: onDuty,
    notificationIds: onDuty.map((recipientId) => escalationNotificationIdOf(overdueEventId, recipientId)),
    escalatedAt,
  },
};

// Intake's PersonForgotten: the person was erased.
const forgottenEventId = '0190a000-0000-7000-8000-0000000e0004';
const cancelledAt = '2025-09-21T12:00:00.000Z';
const cancel: WelfareCheckCommand = { type: 'CancelWelfareCheck', data: { checkId, causeEventId: forgottenEventId, cancelledAt } };
const cancelled: WelfareCheckEvent = {
  type: 'WelfareCheckCancelled',
  data: { checkId, personId, causeEventId: forgottenEventId, reason: 'person-forgotten', cancelledAt },
};

describe('welfare check decider', () => {
  describe('given no check', () => {
    it('schedules a check after a lost contact', () => given().when(schedule()).then(scheduled));
    it('schedules a check after a return attempt', () =>
      given()
        .when(schedule({ causeKind: 'return-attempted' }))
        .then({ ...scheduled, data: { ...scheduled.data, causeKind: 'return-attempted' } } as WelfareCheckEvent));
    it('refuses an id not derived from the cause', () =>
      given()
        .when(schedule({ checkId: welfareCheckIdOf(contactEventId) }))
        .thenThrows('welfare-check.id-not-derived'));
    it('refuses another cause', () =>
      given()
        .when(schedule({ causeKind: 'prisoner-released' }))
        .thenThrows('welfare-check.cause-unknown'));
    it('refuses a due time that is no date-time', () =>
      given()
        .when(schedule({ dueAt: 'in two days' }))
        .thenThrows('welfare-check.due-at-invalid'));
    it('cannot mark nothing overdue', () => given().when(markOverdue(dueAt)).thenThrows('welfare-check.not-found'));
    it('cannot clear nothing', () => given().when(clear).thenThrows('welfare-check.not-found'));
    it('cannot escalate nothing', () => given().when(escalate()).thenThrows('welfare-check.not-found'));
    it('cannot cancel nothing', () => given().when(cancel).thenThrows('welfare-check.not-found'));
  });

  describe('given a scheduled check', () => {
    it('schedules nothing new for the same cause', () => given(scheduled).when(schedule()).thenNothingHappens());
    it('is not overdue before its due time', () =>
      given(scheduled).when(markOverdue('2025-09-22T09:59:59.999Z')).thenThrows('welfare-check.not-due'));
    it('becomes overdue at its due time', () => given(scheduled).when(markOverdue('2025-09-22T10:00:01.000Z')).then(overdue));
    it('is cleared by a re-established contact', () => given(scheduled).when(clear).then(cleared));
    it('is not escalated before it is overdue', () => given(scheduled).when(escalate()).thenThrows('welfare-check.not-overdue'));
    it('is cancelled when the person is erased', () => given(scheduled).when(cancel).then(cancelled));
  });

  describe('given a cleared check', () => {
    it('never becomes overdue', () =>
      given(scheduled, cleared).when(markOverdue('2025-09-23T00:00:00.000Z')).thenThrows('welfare-check.cleared'));
    it('records nothing on a later contact', () => given(scheduled, cleared).when(clear).thenNothingHappens());
    it('is never escalated, even when the overdue deliveries fail after the contact', () =>
      given(scheduled, overdue, cleared)
        .when(escalate({ reason: 'deliveries-failed' }))
        .thenThrows('welfare-check.cleared'));
    it('stays cleared when the person is erased', () => given(scheduled, cleared).when(cancel).thenNothingHappens());
  });

  describe('given an overdue check', () => {
    it('does not become overdue twice', () =>
      given(scheduled, overdue).when(markOverdue('2025-09-23T00:00:00.000Z')).thenThrows('welfare-check.already-overdue'));
    it('is cleared by a late contact, which ends the escalation', () => given(scheduled, overdue).when(clear).then(cleared));
    it('is escalated to the on-duty caseworkers when nobody follows the person, one derived notification id each', () =>
      given(scheduled, overdue).when(escalate()).then(escalated));
    it('is escalated when every delivery of the overdue notification failed', () =>
      given(scheduled, overdue)
        .when(escalate({ reason: 'deliveries-failed' }))
        .then({ ...escalated, data: { ...escalated.data, reason: 'deliveries-failed' } } as WelfareCheckEvent));
    it('records an escalation that reached nobody when no on-duty caseworker is configured', () =>
      given(scheduled, overdue)
        .when(escalate({ recipientIds: [] }))
        .then({
          ...escalated,
          data: { ...escalated.data, outcome: 'unconfigured', recipientIds: [], notificationIds: [] },
        } as WelfareCheckEvent));
    it('refuses a reason it does not know', () =>
      given(scheduled, overdue)
        .when(escalate({ reason: 'bored' }))
        .thenThrows('welfare-check.escalation-reason-unknown'));
    it('refuses on-duty recipients that are not recipient ids', () =>
      given(scheduled, overdue)
        .when(escalate({ recipientIds: ['on-duty-desk'] }))
        .thenThrows('welfare-check.recipients-invalid'));
    it('refuses the same on-duty recipient twice', () =>
      given(scheduled, overdue)
        .when(escalate({ recipientIds: [onDuty[0]!, onDuty[0]!] }))
        .thenThrows('welfare-check.recipients-invalid'));
    it('is cancelled when the person is erased before anyone was told', () => given(scheduled, overdue).when(cancel).then(cancelled));
  });

  describe('given an escalated check', () => {
    it('is never escalated twice, whatever the reason or the roster', () =>
      given(scheduled, overdue, escalated)
        .when(escalate({ reason: 'deliveries-failed', recipientIds: [onDuty[1]!] }))
        .thenNothingHappens());
    it('does not become overdue again', () =>
      given(scheduled, overdue, escalated).when(markOverdue('2025-09-23T00:00:00.000Z')).thenThrows('welfare-check.already-overdue'));
    it('is cleared by a late contact', () => given(scheduled, overdue, escalated).when(clear).then(cleared));
    it('is cancelled when the person is erased', () => given(scheduled, overdue, escalated).when(cancel).then(cancelled));
  });

  describe('given a check cancelled by an erasure', () => {
    it('never becomes overdue', () =>
      given(scheduled, cancelled).when(markOverdue('2025-09-23T00:00:00.000Z')).thenThrows('welfare-check.cancelled'));
    it('is never escalated', () =>
      given(scheduled, overdue, cancelled)
        .when(escalate({ reason: 'deliveries-failed' }))
        .thenThrows('welfare-check.cancelled'));
    it('records nothing on a later contact', () => given(scheduled, cancelled).when(clear).thenNothingHappens());
    it('records nothing when cancelled again', () => given(scheduled, cancelled).when(cancel).thenNothingHappens());
    it('schedules nothing new for the same cause', () => given(scheduled, cancelled).when(schedule()).thenNothingHappens());
  });
});
