// Webhooks that cannot be turned against us, through the running service: https only, no
// internal address at registration or at delivery, a secret of each recipient's own answered
// once and stored sealed, a redirect never followed. The receiver runs on loopback (the
// development allowance) or is never reached: names resolve through the test's own resolver, to
// loopback only, so nothing leaves this machine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { EventStore, type CommandContext } from '@homeward/eventsourcing';
import { recipientStreamId, type RecipientEvent } from '@homeward/notifications-domain';
import { uuidv7 } from '@homeward/observability';
import { eventually } from '@homeward/testing';
import type { Resolve } from '../deliver-notifications/webhook-sender.js';
import { facts, newPersonId } from '../testing/intake-events.js';
import { metadata, refusal, startNotificationsHarness, type NotificationsHarness } from '../testing/notifications-harness.js';

const partner = 'hooks.partner.example.org';
/** Every invented name is this machine: what a name that resolves to loopback looks like. */
const toLoopback: Resolve = async () => [{ address: '127.0.0.1', family: 4 }];

describe('registering a webhook, with the development loopback allowance', () => {
  let h: NotificationsHarness;
  beforeAll(async () => {
    h = await startNotificationsHarness({}, toLoopback);
  }, 60_000);
  afterAll(() => h?.close(), 60_000);

  const webhook = (address: string, follows: string[] = []) => ({
    role: 'partner-organisation',
    channel: 'webhook',
    address,
    consent: true,
    follows,
  });

  it('answers the recipient secret once, stores it sealed, and signs with it', async () => {
    const person = newPersonId();
    const path = `/once/${person}`;
    const request = {
      metadata: { ...metadata(), idempotencyKey: `once-${person}` },
      recipientId: '',
      ...webhook(h.receiver.url(path), [person]),
    };
    const first = await h.client.registerRecipient(request);
    expect(first.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    // The same request again (a retry of a lost answer): the same recipient, and no secret.
    const repeated = await h.client.registerRecipient(request);
    expect(repeated).toMatchObject({ id: first.id, repeatedRequest: true });
    expect(repeated.webhookSecret).toBeUndefined();
    const email = await h.client.registerRecipient({
      metadata: metadata(),
      recipientId: '',
      role: 'family',
      channel: 'email',
      address: `sister.${person.slice(0, 8)}@example.org`,
      consent: true,
      follows: [],
    });
    expect(email.webhookSecret).toBeUndefined();
    const dump = await h.dump();
    expect(dump).not.toContain(first.webhookSecret);
    expect(dump).not.toContain(Buffer.from(first.webhookSecret!).toString('hex'));

    h.receiver.trust(path, first.webhookSecret!);
    await h.publish(facts.released(person));
    await eventually(
      async () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'delivered',
      { what: 'the signed delivery', timeoutMs: 30_000 },
    );
    expect(h.receiver.calls.filter((call) => call.path === path).map((call) => call.signatureValid)).toEqual([true]);
  }, 60_000);

  it('gives every recipient a secret of their own', async () => {
    const answers = await Promise.all(
      [1, 2].map(() => h.client.registerRecipient({ metadata: metadata(), recipientId: '', ...webhook(h.receiver.url('/own')) })),
    );
    expect(answers[0]!.webhookSecret).not.toBe(answers[1]!.webhookSecret);
  });

  it.each([
    ['plain http', 'http://127.0.0.1:8080/hook', 'recipient.webhook-https-required'],
    ['a private address', 'https://10.0.0.8/hook', 'recipient.webhook-address-refused'],
    ['a link-local address', 'https://169.254.10.10/hook', 'recipient.webhook-address-refused'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/', 'recipient.webhook-address-refused'],
    ['the metadata name', 'https://metadata.google.internal/computeMetadata/v1/', 'recipient.webhook-address-refused'],
  ])('refuses %s at registration, naming the rule', async (_case, address, code) => {
    expect(await refusal(h.client.registerRecipient({ metadata: metadata(), recipientId: '', ...webhook(address) }))).toEqual([
      status.INVALID_ARGUMENT,
      code,
    ]);
  });

  it('does not follow a redirect: the delivery fails with webhook.redirect and the receiver is called once per attempt', async () => {
    const person = newPersonId();
    const path = `/redirecting/${person}`;
    await h.webhookRecipient(path, [person]);
    h.receiver.redirect(path, 'https://169.254.169.254/latest/meta-data/');
    await h.publish(facts.released(person));
    const [item] = await eventually(
      async () => h.deliveriesOf(person),
      (items) => (items[0]?.attempts ?? 0) >= 1,
      { what: 'an attempt', timeoutMs: 30_000 },
    );
    expect(item).toMatchObject({ lastErrorCode: 'webhook.redirect' });
    const [delivered] = await eventually(
      async () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'delivered',
      { what: 'the next attempt, no longer redirected', timeoutMs: 30_000 },
    );
    expect(delivered).toMatchObject({ attempts: 2 });
    expect(h.receiver.calls.filter((call) => call.path === path)).toHaveLength(2);
  }, 60_000);

  it('sends nothing to a webhook registered before secrets were their own (schema version 1): webhook.no-secret, for good', async () => {
    const person = newPersonId();
    const recipientId = uuidv7();
    const path = `/legacy/${person}`;
    const { dataSource, store } = h.service.runtime;
    const version1 = new EventStore(dataSource, { ...(store as EventStore).options, upcasters: {} });
    const data = {
      recipientId,
      role: 'partner-organisation',
      channel: 'webhook',
      address: h.receiver.url(path),
      consent: true,
      follows: [person],
    };
    const decider = {
      decide: () => [{ type: 'RecipientRegistered', data } as unknown as RecipientEvent],
      evolve: (state: null) => state,
      initialState: () => null,
    };
    const context: CommandContext = { actor: 'test-v1', correlationId: 'corr-v1', causationId: '', occurredAt: new Date().toISOString() };
    await version1.handle(decider, null, { streamId: recipientStreamId(recipientId), subject: recipientId }, context);

    await h.publish(facts.released(person));
    const [item] = await eventually(
      async () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'failed',
      { what: 'a final failure', timeoutMs: 30_000 },
    );
    expect(item).toMatchObject({ attempts: 1, lastErrorCode: 'webhook.no-secret' });
    expect(h.receiver.calls.filter((call) => call.path === path)).toHaveLength(0);
  }, 60_000);
});

describe('registering a webhook in production (no loopback allowance)', () => {
  let h: NotificationsHarness;
  beforeAll(async () => {
    h = await startNotificationsHarness({ allowLoopbackWebhooks: false }, toLoopback);
  }, 60_000);
  afterAll(() => h?.close(), 60_000);

  it.each([
    ['a literal loopback address', 'https://127.0.0.1:8443/hook'],
    ['localhost', 'https://localhost:8443/hook'],
    ['IPv6 loopback', 'https://[::1]:8443/hook'],
  ])('refuses %s at registration', async (_case, address) => {
    const answer = refusal(
      h.client.registerRecipient({
        metadata: metadata(),
        recipientId: '',
        role: 'partner-organisation',
        channel: 'webhook',
        address,
        consent: true,
        follows: [],
      }),
    );
    expect(await answer).toEqual([status.INVALID_ARGUMENT, 'recipient.webhook-address-refused']);
  });

  it('refuses, at delivery, a public-looking name that resolves to loopback, and connects to nothing', async () => {
    const person = newPersonId();
    const path = `/rebound/${person}`;
    const { id } = await h.client.registerRecipient({
      metadata: metadata(),
      recipientId: '',
      role: 'partner-organisation',
      channel: 'webhook',
      address: h.receiver.url(path, partner),
      consent: true,
      follows: [person],
    });
    expect(id).toBeTruthy();
    await h.publish(facts.released(person));
    const [item] = await eventually(
      async () => h.deliveriesOf(person),
      (items) => items[0]?.status === 'failed',
      { what: 'every attempt refused', timeoutMs: 30_000 },
    );
    expect(item).toMatchObject({ attempts: 3, lastErrorCode: 'webhook.refused-address' });
    expect(h.receiver.calls.filter((call) => call.path === path)).toHaveLength(0);
    const stored = await h.sql<{ data: unknown }>(
      `SELECT data FROM events WHERE type = 'NotificationDeliveryFailed' AND data->>'notificationId' = $1`,
      [item!.notificationId],
    );
    expect(JSON.stringify(stored)).not.toMatch(/127\.0\.0\.1|example\.org|:\d{4,5}/);
  }, 60_000);
});
