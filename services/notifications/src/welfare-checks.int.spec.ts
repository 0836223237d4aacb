// Welfare checks end to end in the service, against the real PostgreSQL and Kafka, SMTP server and
// webhook receiver: scheduled after a return attempt or a lost contact, cleared by any recorded
// contact, overdue otherwise, and then never silent: told to the followers, or escalated to the
// on-duty caseworkers when nobody follows the person or nobody could be reached. Invented people.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { applyToDocuments, eventColumns, rowToEnvelope } from '@homeward/eventsourcing';
import { escalationNotificationIdOf } from '@homeward/notifications-domain';
import { eventually } from '@homeward/testing';
import { facts, newPersonId } from './testing/intake-events.js';
import { startNotificationsHarness, type NotificationsHarness } from './testing/notifications-harness.js';
import { welfareChecks } from './welfare-checks/welfare-checks.projection.js';

const welfareCheckAfterMs = 3_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kindOf = (mail: { raw: string }) => /What: (\S+)/.exec(mail.raw)?.[1];

// WELFARE_ESCALATION_RECIPIENTS: one on-duty caseworker, one id registered as family (not a
// caseworker) and one registered by nobody; only the first can be told.
const onDuty = randomUUID();
const notCaseworker = randomUUID();
const unregistered = randomUUID();
const onDutyAddress = `on-duty.${onDuty.slice(0, 8)}@example.org`;

describe('welfare checks', () => {
  let h: NotificationsHarness;
  const escalationsTo = (person: string) => h.mailsTo(onDutyAddress).filter((mail) => mail.raw.includes(person));
  const eventsOf = (type: string, checkId: string) =>
    h.sql<{ event_id: string; data: Record<string, unknown> }>(
      `SELECT event_id, data FROM events WHERE type = $1 AND data->>'checkId' = $2 ORDER BY global_position`,
      [type, checkId],
    );
  const scheduledCheck = (person: string, count = 1) =>
    eventually(
      () => h.welfareChecksOf(person),
      (items) => items.length === count,
      { what: `${count} welfare check(s)` },
    );

  beforeAll(async () => {
    h = await startNotificationsHarness({ welfareCheckAfterMs, escalationRecipients: [onDuty, notCaseworker, unregistered] });
    await h.register({ recipientId: onDuty, role: 'caseworker', channel: 'email', address: onDutyAddress, consent: true, follows: [] });
    await h.register({
      recipientId: notCaseworker,
      role: 'family',
      channel: 'email',
      address: `family.${notCaseworker.slice(0, 8)}@example.org`,
      consent: true,
      follows: [],
    });
  }, 60_000);

  afterAll(() => h?.close(), 60_000);

  it('raises an urgent notification to the followers when a check becomes overdue; told, it is not escalated', async () => {
    const person = newPersonId();
    const lawyer = `lawyer.${person.slice(0, 8)}@example.org`;
    await h.emailRecipient(lawyer, [person]);
    const lost = facts.contactLost(person);
    await h.publish(lost);

    const [check] = await scheduledCheck(person);
    expect(check).toMatchObject({ personId: person, causeEventId: lost.eventId, causeKind: 'contact-lost', status: 'scheduled' });
    expect(Date.parse(check!.dueAt) - Date.parse(lost.occurredAt)).toBe(welfareCheckAfterMs);

    const overdueMail = await eventually(
      async () => h.mailsTo(lawyer).find((mail) => kindOf(mail) === 'welfare-check-overdue'),
      (mail) => mail !== undefined,
      { what: 'the overdue email', timeoutMs: 20_000 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(check!.dueAt));
    expect(overdueMail!.subject).toContain('URGENT');
    expect(h.mailsTo(lawyer).filter((mail) => kindOf(mail) === 'contact-lost')).toHaveLength(1);

    const overdue = (await h.client.listWelfareChecks({ overdue: true, personId: '', limit: 200, cursor: '' })).items ?? [];
    expect(overdue.find((item) => item.checkId === check!.checkId)).toMatchObject({ status: 'overdue', overdueAt: expect.any(String) });
    // The mail is out before its delivery is recorded (the send happens inside the claim).
    const items = await eventually(
      () => h.deliveriesOf(person),
      (found) => found.every((item) => item.status === 'delivered'),
      { what: 'both deliveries recorded' },
    );
    expect(items.map((item) => [item.kind, item.urgent, item.status]).sort()).toEqual([
      ['contact-lost', true, 'delivered'],
      ['welfare-check-overdue', true, 'delivered'],
    ]);
    const [after] = await h.welfareChecksOf(person);
    expect(after!.escalation ?? null).toBeNull();
    expect(escalationsTo(person)).toHaveLength(0);
  }, 60_000);

  it('clears the check a return attempt opened when contact is recorded in time: no overdue, no escalation', async () => {
    const person = newPersonId();
    const brother = `brother.${person.slice(0, 8)}@example.org`;
    await h.emailRecipient(brother, [person]);
    await h.publish(facts.returnAttempted(person));
    await scheduledCheck(person);
    // Contact was never recorded as lost: intake accepts the contact after a return attempt all the same.
    await h.publish(facts.contactReestablished(person));

    await pause(welfareCheckAfterMs + 1_500);
    const [check] = await h.welfareChecksOf(person);
    expect(check).toMatchObject({ status: 'cleared', clearedAt: expect.any(String), causeKind: 'return-attempted' });
    expect(check!.overdueAt).toBeFalsy();
    expect(check!.escalation ?? null).toBeNull();
    expect(await h.welfareChecksOf(person, true)).toHaveLength(0);
    expect(h.mailsTo(brother).map(kindOf).sort()).toEqual(['contact-reestablished', 'return-attempted']);
    expect((await h.deliveriesOf(person)).map((item) => item.kind).sort()).toEqual(['contact-reestablished', 'return-attempted']);
    expect(escalationsTo(person)).toHaveLength(0);
    const [timer] = await h.sql<{ status: string }>(`SELECT status FROM welfare_check_timers WHERE check_id = $1`, [check!.checkId]);
    expect(timer!.status).toBe('cleared');
  }, 60_000);

  it('takes a contact with no open check in its stride: the followers are told, nothing else changes', async () => {
    const never = newPersonId();
    const cleared = newPersonId();
    const cousin = `cousin.${never.slice(0, 8)}@example.org`;
    await h.emailRecipient(cousin, [never, cleared]);
    await h.publish(facts.contactReestablished(never), facts.contactLost(cleared));
    const [check] = await scheduledCheck(cleared);
    await h.publish(facts.contactReestablished(cleared));
    await eventually(
      () => h.welfareChecksOf(cleared),
      (items) => items[0]?.status === 'cleared',
      { what: 'the check cleared' },
    );
    const firstClearing = (await h.welfareChecksOf(cleared))[0]!.clearedAt;
    // A second contact for the person whose check is cleared, then a fact behind it on the same partition.
    await h.publish(facts.contactReestablished(cleared), facts.released(cleared));
    await eventually(
      () => h.deliveriesOf(cleared),
      (items) => items.some((item) => item.kind === 'prisoner-released'),
      { what: 'the fact after the second contact' },
    );

    expect(await h.welfareChecksOf(never)).toHaveLength(0);
    expect((await h.deliveriesOf(never)).map((item) => item.kind)).toEqual(['contact-reestablished']);
    expect(await h.welfareChecksOf(cleared)).toEqual([
      expect.objectContaining({ checkId: check!.checkId, status: 'cleared', clearedAt: firstClearing }),
    ]);
    expect(await eventsOf('WelfareCheckCleared', check!.checkId)).toHaveLength(1);
    const [{ dead }] = await h.sql<{ dead: string }>(`SELECT count(*)::text AS dead FROM dead_letters`);
    expect(dead).toBe('0');
  }, 60_000);

  it('opens a new check for a return attempt in a later custody episode, and clears it in turn', async () => {
    const person = newPersonId();
    const partner = `partner.${person.slice(0, 8)}@example.org`;
    await h.emailRecipient(partner, [person]);
    const firstAttempt = facts.returnAttempted(person);
    await h.publish(firstAttempt, facts.contactReestablished(person));
    await eventually(
      () => h.welfareChecksOf(person),
      (items) => items[0]?.status === 'cleared',
      { what: 'the first check cleared' },
    );

    // Re-arrested at the border, released again, deported again, and tries to return again.
    const secondAttempt = facts.returnAttempted(person);
    await h.publish(facts.rearrested(person), facts.released(person), facts.deported(person), secondAttempt);
    const checks = await scheduledCheck(person, 2);
    const byCause = Object.fromEntries(checks.map((check) => [check.causeEventId, check]));
    expect(byCause[firstAttempt.eventId]).toMatchObject({ status: 'cleared' });
    expect(byCause[secondAttempt.eventId]).toMatchObject({ status: 'scheduled', causeKind: 'return-attempted' });
    expect(byCause[secondAttempt.eventId]!.checkId).not.toBe(byCause[firstAttempt.eventId]!.checkId);

    await h.publish(facts.contactReestablished(person));
    await eventually(
      () => h.welfareChecksOf(person),
      (items) => items.every((item) => item.status === 'cleared'),
      { what: 'the second check cleared' },
    );
    await pause(welfareCheckAfterMs + 1_000);
    const settled = await h.welfareChecksOf(person);
    expect(settled.map((check) => [check.status, check.overdueAt ?? null, check.escalation ?? null])).toEqual([
      ['cleared', null, null],
      ['cleared', null, null],
    ]);
    expect(h.mailsTo(partner).map(kindOf)).not.toContain('welfare-check-overdue');
    expect(escalationsTo(person)).toHaveLength(0);
  }, 60_000);

  it('escalates an overdue check of a person nobody follows to the on-duty caseworkers, once, and never again on a replay', async () => {
    const person = newPersonId();
    const warn = jest.spyOn(h.service.runtime.logger, 'warn');
    await h.publish(facts.contactLost(person));
    const [scheduled] = await scheduledCheck(person);

    const mail = await eventually(
      async () => escalationsTo(person),
      (mails) => mails.length === 1,
      { what: 'the escalation email', timeoutMs: 20_000 },
    );
    expect(mail[0]!.subject).toContain('URGENT');
    expect(kindOf(mail[0]!)).toBe('welfare-check-escalated');
    expect(mail[0]!.raw).toContain('on-duty caseworker');

    const [overdueEvent] = await eventsOf('WelfareCheckOverdue', scheduled!.checkId);
    const notificationId = escalationNotificationIdOf(overdueEvent!.event_id, onDuty);
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
      recipientId: onDuty,
      kind: 'welfare-check-escalated',
      urgent: true,
      causeEventId: overdueEvent!.event_id,
    });
    expect(mail[0]!.notificationId).toBe(notificationId);
    // The roster's ids that cannot be told are named, by id and nothing else.
    const warnings = warn.mock.calls.map(([fields]) => fields as Record<string, unknown>);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { recipientId: notCaseworker, problem: 'not-caseworker' },
        { recipientId: unregistered, problem: 'not-registered' },
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
    expect(await eventsOf('WelfareCheckEscalated', check!.checkId)).toHaveLength(1);
    expect(await h.deliveriesOf(person)).toHaveLength(1);
    expect(escalationsTo(person)).toHaveLength(1);
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
      async () => escalationsTo(unreachable),
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
    expect(escalationsTo(reached)).toHaveLength(0);
    expect(await eventsOf('WelfareCheckEscalated', check!.checkId)).toHaveLength(1);
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
