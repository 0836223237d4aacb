// Overdue welfare checks are never silent, in the service against the real PostgreSQL and Kafka,
// SMTP server and webhook receiver: escalated to the on-duty caseworkers when nobody follows the
// person or nobody could be reached, and flagged when nobody is on duty. Invented people only.
import { describe, expect, it, jest } from '@jest/globals';
import { applyToDocuments, eventColumns, rowToEnvelope } from '@homeward/eventsourcing';
import { escalationNotificationIdOf } from '@homeward/notifications-domain';
import { eventually, harnessPerSpec } from '@homeward/testing';
import { welfareChecks } from '../welfare-checks/welfare-checks.projection.js';
import { facts, newPersonId } from '../testing/intake-events.js';
import { escalationsTo, kindOf, pause, roster, startWelfareCheckHarness } from '../testing/notifications-harness.js';

const welfareCheckAfterMs = 3_000;

describe('escalating overdue welfare checks', () => {
  const h = harnessPerSpec(
    () => startWelfareCheckHarness(welfareCheckAfterMs),
    (harness) => harness.close(),
  );

  it('escalates an overdue check of a person nobody follows to the on-duty caseworkers, once, and never again on a replay', async () => {
    const person = newPersonId();
    const warn = jest.spyOn(h.service.runtime.logger, 'warn');
    await h.publish(facts.contactLost(person));
    const [scheduled] = await h.scheduledCheck(person);

    const mail = await eventually(
      async () => escalationsTo(h, person),
      (mails) => mails.length === 1,
      { what: 'the escalation email', timeoutMs: 20_000 },
    );
    expect(mail[0]!.subject).toContain('URGENT');
    expect(kindOf(mail[0]!)).toBe('welfare-check-escalated');
    expect(mail[0]!.raw).toContain('on-duty caseworker');

    const [overdueEvent] = await h.checkEvents('WelfareCheckOverdue', scheduled!.checkId);
    const notificationId = escalationNotificationIdOf(overdueEvent!.event_id, roster.onDuty);
    const [check] = await eventually(
      () => h.welfareChecksOf(person, true),
      (items) => items[0]?.escalation !== undefined && items[0]?.escalation !== null,
      {
        what: 'the escalation on the check',
      },
    );
    expect(check).toMatchObject({
      status: 'overdue',
      escalation: { outcome: 'escalated', reason: 'no-followers', escalatedAt: expect.any(String), notificationIds: [notificationId] },
    });
    const [delivery] = await eventually(
      () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'delivered',
      { what: 'the escalation delivered' },
    );
    expect(delivery).toMatchObject({
      notificationId,
      recipientId: roster.onDuty,
      kind: 'welfare-check-escalated',
      urgent: true,
      causeEventId: overdueEvent!.event_id,
    });
    expect(mail[0]!.notificationId).toBe(notificationId);
    // The roster's ids that cannot be told are named, by id and nothing else.
    const warnings = warn.mock.calls.map(([fields]) => fields as Record<string, unknown>);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { recipientId: roster.notCaseworker, problem: 'not-caseworker' },
        { recipientId: roster.unregistered, problem: 'not-registered' },
        expect.objectContaining({ checkId: check!.checkId, reason: 'no-followers', queued: 1 }),
      ]),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain('example.org');
    warn.mockRestore();

    // The same escalation again (a retried round) records and queues nothing.
    const escalation = h.service.escalation!;
    const again = await h.service.runtime.dataSource.transaction((tx) =>
      escalation.escalate(
        tx,
        { checkId: check!.checkId, personId: person, overdueEventId: overdueEvent!.event_id, overdueAt: check!.overdueAt! },
        'no-followers',
        { actor: 'test', correlationId: check!.checkId, causationId: check!.checkId, occurredAt: new Date().toISOString() },
      ),
    );
    expect(again).toBe(false);
    // A rebuild of the read model from the events gives the same checks and tells nobody.
    const before = await h.sql(`SELECT id, doc FROM welfare_checks ORDER BY id`);
    const rows = await h.sql<Parameters<typeof rowToEnvelope>[0]>(`SELECT ${eventColumns} FROM events ORDER BY global_position`);
    await h.service.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`DELETE FROM welfare_checks`);
      await applyToDocuments(tx, welfareChecks, rows.map(rowToEnvelope));
    });
    expect(await h.sql(`SELECT id, doc FROM welfare_checks ORDER BY id`)).toEqual(before);
    await pause(1_000);
    expect(await h.checkEvents('WelfareCheckEscalated', check!.checkId)).toHaveLength(1);
    expect(await h.deliveriesOf(person)).toHaveLength(1);
    expect(escalationsTo(h, person)).toHaveLength(1);
  }, 60_000);

  it('escalates when every delivery of the overdue notification fails for good, and not while one got through', async () => {
    const unreachable = newPersonId();
    const reached = newPersonId();
    const gone = `gone.${unreachable.slice(0, 8)}@example.org`;
    h.smtp.refuse(gone, 550);
    h.receiver.plan(
      `/down/${unreachable}`,
      Array.from({ length: 12 }, () => 500),
    );
    h.receiver.plan(
      `/half/${reached}`,
      Array.from({ length: 12 }, () => 500),
    );
    await h.emailRecipient(gone, [unreachable]);
    await h.webhookRecipient(`/down/${unreachable}`, [unreachable]);
    await h.webhookRecipient(`/half/${reached}`, [reached]);
    await h.emailRecipient(`sister.${reached.slice(0, 8)}@example.org`, [reached]);
    await h.publish(facts.returnAttempted(unreachable), facts.returnAttempted(reached));

    const [check] = await eventually(
      () => h.welfareChecksOf(unreachable, true),
      (items) => Boolean(items[0]?.escalation),
      {
        what: 'the escalation after the last failure',
        timeoutMs: 30_000,
      },
    );
    const overdue = (await h.deliveriesOf(unreachable)).filter((item) => item.kind === 'welfare-check-overdue');
    expect(overdue.map((item) => [item.status, item.attempts])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    expect(check!.escalation).toMatchObject({ outcome: 'escalated', reason: 'deliveries-failed', notificationIds: [expect.any(String)] });
    await eventually(
      async () => escalationsTo(h, unreachable),
      (mails) => mails.length === 1,
      { what: 'the escalation email' },
    );

    // For the other person one follower was told (the sister's email): their failing webhook escalates nothing.
    await eventually(
      () => h.deliveriesOf(reached),
      (items) =>
        items.filter((item) => item.kind === 'welfare-check-overdue').length === 2 && items.every((item) => item.status !== 'queued'),
      { what: 'the overdue deliveries settled', timeoutMs: 30_000 },
    );
    await pause(500);
    const [reachedCheck] = await h.welfareChecksOf(reached);
    expect(reachedCheck).toMatchObject({ status: 'overdue' });
    expect(reachedCheck!.escalation ?? null).toBeNull();
    expect(escalationsTo(h, reached)).toHaveLength(0);
    expect(await h.checkEvents('WelfareCheckEscalated', check!.checkId)).toHaveLength(1);
  }, 60_000);

  it('with nobody on duty, flags the check unconfigured and warns by ids only', async () => {
    await h.restart({ escalationRecipients: [] });
    const warn = jest.spyOn(h.service.runtime.logger, 'warn');
    const person = newPersonId();
    await h.publish(facts.contactLost(person));
    const [check] = await eventually(
      () => h.welfareChecksOf(person, true),
      (items) => Boolean(items[0]?.escalation),
      {
        what: 'the check flagged',
        timeoutMs: 20_000,
      },
    );
    expect(check!.escalation).toMatchObject({ outcome: 'unconfigured', reason: 'no-followers', notificationIds: [] });
    expect(await h.deliveriesOf(person)).toHaveLength(0);
    expect(h.service.escalation!.unconfigured).toBe(1);
    expect(warn.mock.calls.map(([fields]) => fields)).toContainEqual({ checkId: check!.checkId, personId: person, reason: 'no-followers' });
    warn.mockRestore();
  }, 60_000);
});
