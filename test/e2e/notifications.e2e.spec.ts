// Notifications through the real, built system: recipients registered through the gateway; intake's
// facts published the way intake's outbox relay publishes them (messaging codec, CloudEvents
// headers), on a topic of this run, so that this file does not hang on intake's command rules
// (release-slice covers intake's relay); the notifications process sends to a real SMTP server and
// a real webhook receiver started here, which checks signatures as a partner organisation would;
// deliveries and welfare checks are read back through the gateway. Invented people and addresses.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKafkaBroker, type Broker, type Publisher } from '@homeward/messaging';
import { eventually, kafkaBrokers, uniqueName } from '@homeward/testing';
import { kindOf, startMailSink, startWebhookReceiver, type MailSink, type WebhookReceiver } from '../support/receivers.js';
import { intakeFact as factOf } from '../support/intake-facts.js';
import { startSystem, type System } from '../support/system.js';

const welfareCheckAfterMs = 3_000;
const intakeTopic = uniqueName('test.e2e.intake');

interface Delivery {
  notificationId: string;
  recipientId: string;
  channel: string;
  kind: string;
  urgent: boolean;
  status: string;
  attempts: number;
}
interface WelfareCheck {
  checkId: string;
  personId: string;
  status: string;
  causeKind: string;
}

const intakeFact = (type: string, data: { personId: string } & Record<string, unknown>) =>
  factOf(type, data, { actor: 'e2e-intake-clerk', streamVersion: 1 });

const now = () => new Date().toISOString();
const facts = {
  released: (personId: string) =>
    intakeFact('PrisonerReleased', { personId, releasedAt: now(), mechanism: 'brokered', batchId: '', daysOfSentenceRemaining: 0 }),
  deported: (personId: string) =>
    intakeFact('PrisonerDeported', {
      personId,
      deportedAt: now(),
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: 'Kamenny Log',
      consented: false,
    }),
  returnAttempted: (personId: string) =>
    intakeFact('ReturnAttempted', { personId, attemptedAt: now(), borderCrossing: 'Kamenny Log', outcome: 'refused' }),
  contactLost: (personId: string) => intakeFact('ContactLost', { personId, lastContactAt: now(), reportedBy: 'family' }),
  contactReestablished: (personId: string) => intakeFact('ContactReestablished', { personId, contactAt: now(), reportedBy: 'family' }),
};

describe('notifications through the gateway', () => {
  let system: System;
  let broker: Broker;
  let publisher: Publisher;
  let mail: MailSink;
  let webhooks: WebhookReceiver;

  beforeAll(async () => {
    mail = await startMailSink();
    webhooks = await startWebhookReceiver();
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'notifications-e2e' });
    await broker.ensureTopics([intakeTopic]);
    publisher = await broker.publisher();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: {
        SMTP_URL: mail.url,
        NOTIFY_FROM: 'notify@homeward.test',
        // The receiver is https on loopback: the development allowance and trust in its certificate.
        ...webhooks.serviceEnv,
        WELFARE_CHECK_AFTER: `PT${welfareCheckAfterMs / 1000}S`,
        WELFARE_CHECK_POLL_MS: '200',
        DELIVERY_POLL_MS: '100',
        NOTIFICATIONS_INTAKE_TOPIC: intakeTopic,
        // Its own group: a notifications service of another system on the same broker must not
        // take the partitions this one's facts are on.
        NOTIFICATIONS_CONSUMER_GROUP: uniqueName('notifications.intake.e2e'),
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await publisher?.close();
    await broker?.disconnect();
    await mail?.close();
    await webhooks?.close();
  });

  const publish = (...messages: ReturnType<typeof intakeFact>[]) => publisher.publish(intakeTopic, messages);
  const token = () => system.token('notifications');
  const register = async (body: Record<string, unknown>) => {
    const response = await system.http<{ id: string; webhookSecret?: string }>('POST', '/v1/notifications/recipients', {
      body,
      token: token(),
    });
    expect(response.status).toBe(201);
    // Answered once, for a webhook only: the partner keeps it to check what it is sent.
    expect(typeof response.body.webhookSecret).toBe(body['channel'] === 'webhook' ? 'string' : 'undefined');
    if (response.body.webhookSecret) webhooks.trust(response.body.webhookSecret);
    return response.body.id;
  };
  const deliveriesOf = (personId: string) =>
    system.http<{ items: Delivery[]; nextCursor: string | null }>('GET', `/v1/notifications/deliveries?personId=${personId}`, {
      token: token(),
    });
  const checksOf = async (query: string) =>
    (await system.http<{ items: WelfareCheck[] }>('GET', `/v1/notifications/welfare-checks?${query}`, { token: token() })).body.items;
  const mailsTo = (address: string) => mail.mailsTo(address);

  it('tells the consenting followers of a person by email and by signed webhook, and nobody else', async () => {
    const personId = randomUUID();
    const sisterId = await register({
      role: 'family',
      channel: 'email',
      address: 'sister.invented@example.org',
      consent: true,
      follows: [personId],
    });
    await register({
      role: 'partner-organisation',
      channel: 'webhook',
      address: webhooks.url(`/hooks/${personId}`),
      consent: true,
      follows: [personId],
    });
    await register({ role: 'lawyer', channel: 'email', address: 'no-consent.invented@example.org', consent: false, follows: [personId] });
    await publish(facts.released(personId), facts.deported(personId));

    const deliveries = await eventually(
      () => deliveriesOf(personId),
      (response) =>
        response.status === 200 && response.body.items.length === 4 && response.body.items.every((item) => item.status === 'delivered'),
      { timeoutMs: 60_000, what: 'four deliveries' },
    );
    const summary = deliveries.body.items
      .map((item) => `${item.channel} ${item.kind} ${item.recipientId === sisterId ? 'sister' : 'partner'}`)
      .sort();
    expect(summary).toEqual([
      'email prisoner-deported sister',
      'email prisoner-released sister',
      'webhook prisoner-deported partner',
      'webhook prisoner-released partner',
    ]);
    expect(JSON.stringify(deliveries.body)).not.toMatch(/example\.org|127\.0\.0\.1/);

    expect(mailsTo('sister.invented@example.org').map(kindOf).sort()).toEqual(['prisoner-deported', 'prisoner-released']);
    expect(mailsTo('no-consent.invented@example.org')).toHaveLength(0);
    const hooks = webhooks.calls.filter((call) => call.path === `/hooks/${personId}`);
    expect(hooks.map((call) => call.body['kind']).sort()).toEqual(['prisoner-deported', 'prisoner-released']);
    expect(hooks.every((call) => call.signatureValid && call.body['personId'] === personId)).toBe(true);
  });

  it('escalates a lost contact nobody re-established in time, and not one re-established in time', async () => {
    const lost = randomUUID();
    const found = randomUUID();
    await register({
      role: 'caseworker',
      channel: 'email',
      address: 'caseworker.invented@example.org',
      consent: true,
      follows: [lost, found],
    });
    await publish(facts.contactLost(lost), facts.returnAttempted(found));
    await eventually(
      () => checksOf(`personId=${found}`),
      (items) => items.length === 1,
      { what: 'the check of the returning person' },
    );
    await publish(facts.contactReestablished(found));

    const [overdue] = await eventually(
      () => checksOf(`overdue=true&personId=${lost}`),
      (items) => items.length === 1,
      {
        timeoutMs: 30_000,
        what: 'an overdue check',
      },
    );
    expect(overdue).toMatchObject({ personId: lost, status: 'overdue', causeKind: 'contact-lost' });
    const urgent = await eventually(
      async () => mailsTo('caseworker.invented@example.org').filter((mail) => kindOf(mail) === 'welfare-check-overdue'),
      (found) => found.length === 1,
      { what: 'the urgent email' },
    );
    expect(urgent[0]!.raw).toContain(lost);
    expect(urgent[0]!.raw).toMatch(/Subject: \[Homeward\] URGENT/);

    await new Promise((resolve) => setTimeout(resolve, welfareCheckAfterMs));
    expect(await checksOf(`personId=${found}`)).toEqual([expect.objectContaining({ status: 'cleared', causeKind: 'return-attempted' })]);
    expect((await checksOf('overdue=true')).map((check) => check.personId)).not.toContain(found);
    const deliveries = (await deliveriesOf(lost)).body.items.map((item) => [item.kind, item.urgent]);
    expect(deliveries.sort()).toEqual([
      ['contact-lost', true],
      ['welfare-check-overdue', true],
    ]);
  });

  it('sends every notification once and keeps its timers when the notifications process restarts mid-way', async () => {
    const people = Array.from({ length: 10 }, () => randomUUID());
    const address = 'restart.invented@example.org';
    await register({ role: 'caseworker', channel: 'email', address, consent: true, follows: people });
    await publish(...people.map((personId) => facts.deported(personId)), facts.contactLost(people[0]!));
    await system.restart('notifications');
    await publish(facts.deported(people[0]!)); // a new fact while it was starting up again

    await eventually(
      async () => mailsTo(address),
      (sent) => sent.length === 13,
      {
        timeoutMs: 60_000,
        what: '11 deportations, the lost contact and its overdue check',
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ids = mailsTo(address).map((mail) => mail.notificationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(mailsTo(address).filter((mail) => kindOf(mail) === 'welfare-check-overdue')).toHaveLength(1);
  });

  it('refuses webhooks that could reach inside: plain http and internal addresses, naming the rule', async () => {
    const webhook = (address: string) => ({ role: 'partner-organisation', channel: 'webhook', address, consent: true, follows: [] });
    const http = await system.http('POST', '/v1/notifications/recipients', {
      body: webhook('http://partner.invented.example.org/hook'),
      token: token(),
    });
    expect(http).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'address' })] } });
    for (const address of [
      'https://10.0.0.8/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/computeMetadata/v1/',
    ]) {
      const refused = await system.http('POST', '/v1/notifications/recipients', { body: webhook(address), token: token() });
      expect({ address, status: refused.status, code: refused.body['code'] }).toEqual({
        address,
        status: 400,
        code: 'recipient.webhook-address-refused',
      });
      expect(JSON.stringify(refused.body)).not.toMatch(/10\.0\.0\.8|169\.254|metadata\.google/);
    }
  });

  it('keeps the routes to the notifications and admin roles, never echoes an address, and changes a recipient', async () => {
    const body = { role: 'family', channel: 'email', address: 'a.invented@example.org', consent: true, follows: [] };
    expect((await system.http('POST', '/v1/notifications/recipients', { body, token: system.token('intake') })).status).toBe(403);
    expect(
      (await system.http('GET', `/v1/notifications/deliveries?personId=${randomUUID()}`, { token: system.token('legal') })).status,
    ).toBe(403);
    expect((await system.http('GET', '/v1/notifications/welfare-checks?overdue=true', { token: system.token('admin') })).status).toBe(200);
    const invalid = await system.http('POST', '/v1/notifications/recipients', { body: { ...body, channel: 'webhook' }, token: token() });
    expect(invalid).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'address' })] } });
    expect(JSON.stringify(invalid.body)).not.toContain('a.invented');

    const unknown = await system.http('POST', `/v1/notifications/recipients/${randomUUID()}/consent-withdrawal`, { token: token() });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'recipient.not-found' } });
    const recipientId = await register(body);
    const moved = await system.http('POST', `/v1/notifications/recipients/${recipientId}/follows`, {
      body: { follows: [randomUUID()] },
      token: token(),
    });
    expect(moved).toMatchObject({ status: 201, body: { id: recipientId, streamVersion: 2 } });
    const withdrawn = await system.http('POST', `/v1/notifications/recipients/${recipientId}/consent-withdrawal`, {
      headers: { 'if-match': '2' },
      token: token(),
    });
    expect(withdrawn).toMatchObject({ status: 201, body: { streamVersion: 3 } });
  });
});
