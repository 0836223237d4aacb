import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { notifications } from '@homeward/contracts';
import { of } from 'rxjs';
import {
  commandResult,
  delivery,
  grpcFailure,
  personId,
  recipientId,
  startGateway,
  welfareCheck,
  type Harness,
} from '../testing/gateway-harness.js';

let gateway: Harness;
let token: string;
beforeAll(async () => {
  gateway = await startGateway();
  token = await gateway.token(['notifications'], { sub: 'caseworker-3' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}, bearer = token) =>
  gateway.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${bearer}`, ...headers } });
const get = (url: string, bearer = token) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

const otherPerson = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f99';
const emailRecipient = {
  role: 'family',
  channel: 'email',
  address: 'sister.invented@example.org',
  consent: true,
  follows: [personId, otherPerson],
};
const webhookRecipient = {
  role: 'partner-organisation',
  channel: 'webhook',
  address: 'https://partner.example.org/hooks/homeward',
  consent: true,
  follows: [personId],
};

describe('POST /v1/notifications/recipients', () => {
  it('registers: 201, the result, and the request and metadata sent to notifications', async () => {
    const response = await post('/v1/notifications/recipients', emailRecipient, {
      'idempotency-key': 'recipient-1',
      'x-correlation-id': 'corr-9',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: recipientId, streamVersion: 1, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(gateway.notifications.calls).toHaveLength(1);
    expect(gateway.notifications.calls[0]!.method).toBe('registerRecipient');
    expect(gateway.notifications.calls[0]!.request).toEqual({
      metadata: {
        actor: 'caseworker-3',
        correlationId: 'corr-9',
        causationId: 'corr-9',
        idempotencyKey: 'recipient-1',
        expectedVersion: undefined,
        traceparent: '',
      },
      recipientId: '',
      ...emailRecipient,
    } satisfies notifications.RegisterRecipientRequest);
  });

  it('registers a webhook and answers its secret, once, in the 201; sends follows: [] when none are given', async () => {
    const webhookSecret = 'ab'.repeat(32);
    gateway.notifications.answers.registerRecipient = () => of({ ...commandResult(recipientId), webhookSecret });
    const response = await post('/v1/notifications/recipients', webhookRecipient);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: recipientId,
      streamVersion: 1,
      eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'],
      webhookSecret,
    });
    expect(gateway.logs.join('\n')).not.toContain(webhookSecret);
    const { follows: _follows, ...withoutFollows } = webhookRecipient;
    expect((await post('/v1/notifications/recipients', { ...withoutFollows, address: 'https://receiver:8443/hook' })).statusCode).toBe(201);
    expect(gateway.notifications.calls[1]!.request).toMatchObject({ address: 'https://receiver:8443/hook', follows: [] });
  });

  it('answers 200 with the first result for a repeated request, without a secret', async () => {
    gateway.notifications.answers.registerRecipient = () => of({ ...commandResult(recipientId), repeatedRequest: true });
    const response = await post('/v1/notifications/recipients', webhookRecipient, { 'idempotency-key': 'k' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).not.toHaveProperty('webhookSecret');
  });

  it.each([
    ['an unknown role', { ...emailRecipient, role: 'journalist' }, 'role'],
    ['an unknown channel', { ...emailRecipient, channel: 'sms' }, 'channel'],
    ['an email channel with a URL', { ...emailRecipient, address: 'https://partner.example.org/hook' }, 'address'],
    ['a webhook channel with an email address', { ...webhookRecipient, address: 'partner@example.org' }, 'address'],
    ['a webhook that is not https', { ...webhookRecipient, address: 'ftp://partner.example.org/hook' }, 'address'],
    ['a webhook over plain http', { ...webhookRecipient, address: 'http://partner.example.org/hook' }, 'address'],
    ['a webhook URL with credentials', { ...webhookRecipient, address: 'https://user:secret@partner.example.org/hook' }, 'address'],
    ['an address over 2048 characters', { ...webhookRecipient, address: `https://partner.example.org/${'a'.repeat(2048)}` }, 'address'],
    ['a missing address', { role: 'family', channel: 'email', consent: true }, 'address'],
    ['a missing consent', { role: 'family', channel: 'email', address: 'a@example.org' }, 'consent'],
    ['a consent that is a string', { ...emailRecipient, consent: 'yes' }, 'consent'],
    ['a follow that is no UUID', { ...emailRecipient, follows: ['Ales'] }, 'follows'],
    ['a person followed twice', { ...emailRecipient, follows: [personId, personId] }, 'follows'],
    [
      'more than 1000 people followed',
      { ...emailRecipient, follows: Array.from({ length: 1001 }, (_, i) => `01936b2e-7a4c-7d1e-9f3a-${String(i).padStart(12, '0')}`) },
      'follows',
    ],
    ['an unknown field', { ...emailRecipient, phone: '+370 600 00000' }, 'phone'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const response = await post('/v1/notifications/recipients', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(gateway.notifications.calls).toHaveLength(0);
  });

  it('never echoes the address, in the answer or the logs', async () => {
    const response = await post('/v1/notifications/recipients', { ...emailRecipient, address: 'SECRET-ADDRESS-no-at-sign' });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('SECRET');
    expect(gateway.logs.join('\n')).not.toContain('SECRET');
  });

  it('maps a refusal of the service to its problem, naming the rule', async () => {
    gateway.notifications.answers.registerRecipient = () =>
      grpcFailure(status.INVALID_ARGUMENT, 'a webhook must point to a public host', {
        kind: 'validation-failed',
        code: 'recipient.webhook-address-refused',
      });
    const response = await post('/v1/notifications/recipients', {
      ...webhookRecipient,
      address: 'https://169.254.169.254/latest/meta-data/',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'recipient.webhook-address-refused' });
  });

  it('is for notifications and admin only', async () => {
    expect((await post('/v1/notifications/recipients', emailRecipient, {}, await gateway.token(['intake']))).statusCode).toBe(403);
    expect((await post('/v1/notifications/recipients', emailRecipient, {}, await gateway.token(['admin']))).statusCode).toBe(201);
  });
});

describe('POST /v1/notifications/recipients/{recipientId}/consent-withdrawal', () => {
  const url = `/v1/notifications/recipients/${recipientId}/consent-withdrawal`;

  it('withdraws: 201, with If-Match and the metadata sent to notifications', async () => {
    const response = await post(url, undefined, { 'if-match': '"1"' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ id: recipientId, streamVersion: 2 });
    expect(gateway.notifications.calls[0]!.request).toMatchObject({ recipientId, metadata: { actor: 'caseworker-3', expectedVersion: 1 } });
  });

  it('refuses a recipient id that is no UUID, and answers 404 for an unknown one', async () => {
    expect((await post('/v1/notifications/recipients/42/consent-withdrawal', undefined)).statusCode).toBe(400);
    gateway.notifications.answers.withdrawConsent = () =>
      grpcFailure(status.NOT_FOUND, 'no recipient with this id', { kind: 'not-found', code: 'recipient.not-found' });
    expect((await post(url, undefined)).json()).toMatchObject({ status: 404, code: 'recipient.not-found' });
  });

  it('is for notifications and admin only', async () => {
    expect((await post(url, undefined, {}, await gateway.token(['intake']))).statusCode).toBe(403);
  });
});

describe('POST /v1/notifications/recipients/{recipientId}/follows', () => {
  const url = `/v1/notifications/recipients/${recipientId}/follows`;

  it('replaces the people followed', async () => {
    const response = await post(url, { follows: [otherPerson] });
    expect(response.statusCode).toBe(201);
    expect(gateway.notifications.calls[0]!.request).toMatchObject({ recipientId, follows: [otherPerson] });
  });

  it.each([
    ['no follows', {}],
    ['a follow that is no UUID', { follows: ['x'] }],
    ['a person twice', { follows: [personId, personId] }],
    ['1001 people', { follows: Array.from({ length: 1001 }, (_, i) => `01936b2e-7a4c-7d1e-9f3a-${String(i).padStart(12, '0')}`) }],
  ])('refuses %s with 400', async (_case, body) => {
    const response = await post(url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain('follows');
    expect(gateway.notifications.calls).toHaveLength(0);
  });

  it('is for notifications and admin only', async () => {
    expect((await post(url, { follows: [] }, {}, await gateway.token(['legal']))).statusCode).toBe(403);
    expect((await post(url, { follows: [] }, {}, await gateway.token(['admin']))).statusCode).toBe(201);
  });
});

describe('DELETE /v1/notifications/recipients/{recipientId} (erasure)', () => {
  const url = `/v1/notifications/recipients/${recipientId}`;
  const erase = (headers: Record<string, string> = {}, bearer = token, path = url) =>
    gateway.app.inject({ method: 'DELETE', url: path, headers: { authorization: `Bearer ${bearer}`, ...headers } });

  it('erases: 200, the result, and only the recipient id and the metadata sent to notifications', async () => {
    const response = await erase({ 'idempotency-key': 'erase-recipient-1', 'if-match': '2', 'x-correlation-id': 'corr-e1' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toEqual({ id: recipientId, streamVersion: 3, eventIds: ['01936b2e-7a4c-7d1e-9f3a-000000000001'] });
    expect(gateway.notifications.calls).toHaveLength(1);
    expect(gateway.notifications.calls[0]!.method).toBe('eraseRecipient');
    expect(gateway.notifications.calls[0]!.request).toEqual({
      metadata: {
        actor: 'caseworker-3',
        correlationId: 'corr-e1',
        causationId: 'corr-e1',
        idempotencyKey: 'erase-recipient-1',
        expectedVersion: 2,
        traceparent: '',
      },
      recipientId,
    } satisfies notifications.EraseRecipientRequest);
  });

  it('answers 200 for a recipient erased already (nothing recorded) and for a repeated Idempotency-Key (the first answer)', async () => {
    gateway.notifications.answers.eraseRecipient = () => of({ ...commandResult(recipientId, 3), eventIds: [] });
    const again = await erase();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: recipientId, streamVersion: 3, eventIds: [] });
    gateway.notifications.answers.eraseRecipient = () => of({ ...commandResult(recipientId, 3), repeatedRequest: true });
    const repeated = await erase({ 'idempotency-key': 'erase-recipient-1' });
    expect(repeated.statusCode).toBe(200);
    expect(repeated.json()).toMatchObject({ id: recipientId, streamVersion: 3 });
  });

  it('answers 404 problem+json for an unknown recipient', async () => {
    gateway.notifications.answers.eraseRecipient = () =>
      grpcFailure(status.NOT_FOUND, 'no recipient with this id', { kind: 'not-found', code: 'recipient.not-found' });
    const response = await erase();
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, code: 'recipient.not-found' });
  });

  it('answers 409 for a stale If-Match', async () => {
    gateway.notifications.answers.eraseRecipient = () =>
      grpcFailure(status.ABORTED, 'expected version 1, stream is at 2', { kind: 'version-conflict', code: 'stream.version-conflict' });
    expect((await erase({ 'if-match': '1' })).json()).toMatchObject({ status: 409, code: 'stream.version-conflict' });
  });

  it('refuses a recipient id that is no UUID with 400, before notifications is called', async () => {
    const response = await erase({}, token, '/v1/notifications/recipients/not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(gateway.notifications.calls).toHaveLength(0);
  });

  it('is for notifications and admin only', async () => {
    expect((await erase({}, await gateway.token(['intake']))).statusCode).toBe(403);
    expect((await erase({}, await gateway.token(['operator', 'auditor']))).statusCode).toBe(403);
    expect(gateway.notifications.calls).toHaveLength(0);
    expect((await erase({}, await gateway.token(['admin']))).statusCode).toBe(200);
  });
});

describe('GET /v1/notifications/deliveries', () => {
  it('passes the person and the page, and answers { items, nextCursor } without addresses', async () => {
    gateway.notifications.answers.listDeliveries = () =>
      of({
        items: [
          delivery(),
          delivery({
            status: 'queued',
            deliveredAt: undefined,
            nextAttemptAt: '2025-09-20T10:01:00.000Z',
            lastErrorCode: 'webhook.http-503',
          }),
        ],
        nextCursor: 'c2',
      });
    const response = await get(`/v1/notifications/deliveries?personId=${personId}&limit=10&cursor=c1`);
    expect(response.statusCode).toBe(200);
    expect(gateway.notifications.calls[0]!.request).toEqual({ personId, limit: 10, cursor: 'c1' });
    const body = response.json();
    expect(body.nextCursor).toBe('c2');
    expect(body.items[0]).toEqual({
      notificationId: '5d0c3f0e-6a51-5b6e-9d7c-1a2b3c4d5e6f',
      recipientId,
      personId,
      channel: 'email',
      kind: 'contact-lost',
      urgent: true,
      status: 'delivered',
      attempts: 1,
      queuedAt: '2025-09-20T10:00:00.000Z',
      deliveredAt: '2025-09-20T10:00:01.000Z',
      lastAttemptAt: '2025-09-20T10:00:01.000Z',
      nextAttemptAt: null,
      lastErrorCode: null,
      causeEventId: '01936b2e-7a4c-7d1e-9f3a-0000000000e1',
    });
    expect(body.items[1]).toMatchObject({
      status: 'queued',
      deliveredAt: null,
      nextAttemptAt: '2025-09-20T10:01:00.000Z',
      lastErrorCode: 'webhook.http-503',
    });
    expect(Object.keys(body.items[0])).not.toContain('address');
  });

  it('asks for 50 by default and answers nextCursor: null on the last page', async () => {
    const response = await get(`/v1/notifications/deliveries?personId=${personId}`);
    expect(gateway.notifications.calls[0]!.request).toEqual({ personId, limit: 50, cursor: '' });
    expect(response.json().nextCursor).toBeNull();
  });

  it.each([
    ['', 'personId'],
    ['personId=42', 'personId'],
    [`personId=${personId}&limit=0`, 'limit'],
    [`personId=${personId}&limit=101`, 'limit'],
    [`personId=${personId}&status=failed`, 'status'],
  ])('refuses ?%s with 400', async (query, field) => {
    const response = await get(`/v1/notifications/deliveries?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('is for notifications and admin only', async () => {
    expect((await get(`/v1/notifications/deliveries?personId=${personId}`, await gateway.token(['legal']))).statusCode).toBe(403);
    expect((await get(`/v1/notifications/deliveries?personId=${personId}`, await gateway.token(['admin']))).statusCode).toBe(200);
  });

  it('answers 503 when notifications does not answer', async () => {
    gateway.notifications.answers.listDeliveries = () => grpcFailure(status.UNAVAILABLE, 'No connection established');
    expect((await get(`/v1/notifications/deliveries?personId=${personId}`)).json()).toMatchObject({ status: 503 });
  });
});

describe('GET /v1/notifications/welfare-checks', () => {
  it('passes overdue=true and answers the checks', async () => {
    const response = await get('/v1/notifications/welfare-checks?overdue=true');
    expect(response.statusCode).toBe(200);
    expect(gateway.notifications.calls[0]!.request).toEqual({ overdue: true, personId: '', limit: 50, cursor: '' });
    expect(response.json()).toEqual({
      items: [
        {
          checkId: '7e1f2a3b-4c5d-5e6f-8a9b-0c1d2e3f4a5b',
          personId,
          causeEventId: '01936b2e-7a4c-7d1e-9f3a-0000000000e1',
          causeKind: 'contact-lost',
          status: 'overdue',
          scheduledAt: '2025-09-20T10:00:00.000Z',
          dueAt: '2025-09-22T10:00:00.000Z',
          overdueAt: '2025-09-22T10:00:01.000Z',
          clearedAt: null,
          cancelledAt: null,
          escalation: 'none',
          escalationReason: null,
          escalatedAt: null,
          escalationNotificationIds: [],
        },
      ],
      nextCursor: null,
    });
  });

  it('shows whether, why and when a check was escalated to the on-duty caseworkers', async () => {
    const escalationNotificationIds = ['5d0c3f0e-6a51-5b6e-9d7c-1a2b3c4d5e70'];
    gateway.notifications.answers.listWelfareChecks = () =>
      of({
        items: [
          welfareCheck({
            escalation: {
              outcome: 'escalated',
              reason: 'no-followers',
              escalatedAt: '2025-09-22T10:00:02.000Z',
              notificationIds: escalationNotificationIds,
            },
          }),
          welfareCheck({
            escalation: {
              outcome: 'unconfigured',
              reason: 'deliveries-failed',
              escalatedAt: '2025-09-22T13:00:00.000Z',
              notificationIds: [],
            },
          }),
        ],
        nextCursor: '',
      });
    const [escalated, unconfigured] = (await get('/v1/notifications/welfare-checks?overdue=true')).json().items;
    expect(escalated).toMatchObject({
      escalation: 'escalated',
      escalationReason: 'no-followers',
      escalatedAt: '2025-09-22T10:00:02.000Z',
      escalationNotificationIds,
    });
    expect(unconfigured).toMatchObject({
      escalation: 'unconfigured',
      escalationReason: 'deliveries-failed',
      escalatedAt: '2025-09-22T13:00:00.000Z',
      escalationNotificationIds: [],
    });
  });

  it('shows a check cancelled by the erasure of its person', async () => {
    gateway.notifications.answers.listWelfareChecks = () =>
      of({ items: [welfareCheck({ status: 'cancelled', cancelledAt: '2025-09-22T11:00:00.000Z' })], nextCursor: '' });
    const [cancelled] = (await get(`/v1/notifications/welfare-checks?personId=${personId}`)).json().items;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: '2025-09-22T11:00:00.000Z', escalation: 'none' });
  });

  it('lists every check of a person when overdue is false or absent', async () => {
    gateway.notifications.answers.listWelfareChecks = () =>
      of({ items: [welfareCheck({ status: 'cleared', overdueAt: undefined, clearedAt: '2025-09-21T00:00:00.000Z' })], nextCursor: '' });
    await get(`/v1/notifications/welfare-checks?overdue=false&personId=${personId}`);
    await get('/v1/notifications/welfare-checks');
    expect(gateway.notifications.calls.map((call) => call.request)).toEqual([
      { overdue: false, personId, limit: 50, cursor: '' },
      { overdue: false, personId: '', limit: 50, cursor: '' },
    ]);
  });

  it.each([
    ['overdue=yes', 'overdue'],
    ['overdue=1', 'overdue'],
    ['personId=x', 'personId'],
    ['limit=ten', 'limit'],
  ])('refuses ?%s with 400', async (query, field) => {
    const response = await get(`/v1/notifications/welfare-checks?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('is for notifications and admin only', async () => {
    expect((await get('/v1/notifications/welfare-checks?overdue=true', await gateway.token(['documents']))).statusCode).toBe(403);
    expect((await get('/v1/notifications/welfare-checks?overdue=true', await gateway.token(['admin']))).statusCode).toBe(200);
  });
});
