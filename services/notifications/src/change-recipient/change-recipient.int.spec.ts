// A recipient's changes, in the service against the real PostgreSQL and Kafka and a real SMTP server
// and webhook receiver: a withdrawn consent stops even what is queued, and changed follows are
// followed. Invented people and addresses.
import { describe, expect, it } from '@jest/globals';
import { eventually, harnessPerSpec } from '@homeward/testing';
import { facts, newPersonId } from '../testing/intake-events.js';
import { metadata, startNotificationsHarness } from '../testing/notifications-harness.js';

describe('changing a recipient', () => {
  const h = harnessPerSpec(
    () => startNotificationsHarness(),
    (harness) => harness.close(),
  );

  it('stops sending, even what is already queued, once consent is withdrawn; follows the people a recipient changes to', async () => {
    const person = newPersonId();
    const before = newPersonId();
    const after = newPersonId();
    const path = `/withdrawn/${person}`;
    const withdrawing = await h.webhookRecipient(path, [person]);
    const moving = await h.emailRecipient(`moving.${person.slice(0, 8)}@example.org`, [before]);

    // Queued while nothing is sent, so that the withdrawal comes between queueing and sending.
    await h.service.stop();
    await h.restart({ sideEffects: false });
    await h.publish(facts.deported(person));
    await eventually(
      async () => h.deliveriesOf(person),
      (items) => items.length === 1,
      { what: 'a queued notification' },
    );
    await h.client.withdrawConsent({ metadata: metadata('recipient-portal'), recipientId: withdrawing });
    await h.client.changeFollows({ metadata: metadata(), recipientId: moving, follows: [after] });
    await h.service.stop();
    await h.restart();

    const [item] = await eventually(
      async () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'failed',
      { what: 'the queued notification abandoned' },
    );
    expect(item).toMatchObject({ attempts: 1, lastErrorCode: 'recipient.no-consent' });
    await h.publish(facts.released(person), facts.released(before), facts.released(after));
    await eventually(
      async () => h.deliveriesOf(after),
      (items) => items[0]?.status === 'delivered',
      { what: 'the newly followed person' },
    );
    expect(await h.deliveriesOf(person)).toHaveLength(1);
    expect(await h.deliveriesOf(before)).toHaveLength(0);
    expect(h.receiver.calls.filter((call) => call.path === path)).toHaveLength(0);
  }, 60_000);
});
