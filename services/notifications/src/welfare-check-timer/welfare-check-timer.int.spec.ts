// Welfare checks scheduled and kept, in the service against the real PostgreSQL and Kafka, SMTP
// server and webhook receiver: scheduled after a return attempt or a lost contact, cleared by any
// recorded contact, overdue otherwise and then told to the followers. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { eventually, harnessPerSpec } from '@homeward/testing';
import { facts, newPersonId } from '../testing/intake-events.js';
import { escalationsTo, kindOf, pause, startWelfareCheckHarness } from '../testing/notifications-harness.js';

const welfareCheckAfterMs = 3_000;

describe('welfare checks', () => {
  const h = harnessPerSpec(
    () => startWelfareCheckHarness(welfareCheckAfterMs),
    (harness) => harness.close(),
  );

  it('raises an urgent notification to the followers when a check becomes overdue; told, it is not escalated', async () => {
    const person = newPersonId();
    const lawyer = `lawyer.${person.slice(0, 8)}@example.org`;
    await h.emailRecipient(lawyer, [person]);
    const lost = facts.contactLost(person);
    await h.publish(lost);

    const [check] = await h.scheduledCheck(person);
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
    expect(escalationsTo(h, person)).toHaveLength(0);
  }, 60_000);

  it('clears the check a return attempt opened when contact is recorded in time: no overdue, no escalation', async () => {
    const person = newPersonId();
    const brother = `brother.${person.slice(0, 8)}@example.org`;
    await h.emailRecipient(brother, [person]);
    await h.publish(facts.returnAttempted(person));
    await h.scheduledCheck(person);
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
    expect(escalationsTo(h, person)).toHaveLength(0);
    const [timer] = await h.sql<{ status: string }>(`SELECT status FROM welfare_check_timers WHERE check_id = $1`, [check!.checkId]);
    expect(timer!.status).toBe('cleared');
  }, 60_000);

  it('takes a contact with no open check in its stride: the followers are told, nothing else changes', async () => {
    const never = newPersonId();
    const cleared = newPersonId();
    const cousin = `cousin.${never.slice(0, 8)}@example.org`;
    await h.emailRecipient(cousin, [never, cleared]);
    await h.publish(facts.contactReestablished(never), facts.contactLost(cleared));
    const [check] = await h.scheduledCheck(cleared);
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
    expect(await h.checkEvents('WelfareCheckCleared', check!.checkId)).toHaveLength(1);
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
    const checks = await h.scheduledCheck(person, 2);
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
    expect(escalationsTo(h, person)).toHaveLength(0);
  }, 60_000);
});
