import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { roles, type Role } from '@homeward/security';
import { of } from 'rxjs';
import { routeRoles } from '../auth/route-roles.js';
import { accessEntry, auditEvent, grpcFailure, personId, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let auditor: string;
beforeAll(async () => {
  gateway = await startGateway();
  auditor = await gateway.token(['auditor'], { sub: 'auditor-7' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string, bearer = auditor, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}`, ...headers } });

const auditRoutes = ['/v1/audit/events', '/v1/audit/events/export', `/v1/audit/verify?streamId=person-${personId}`, '/v1/audit/access-log'];

describe('who may read the audit trail', () => {
  it.each(auditRoutes)('auditor and admin read %s', async (url) => {
    expect((await get(url)).statusCode).toBe(200);
    expect((await get(url, await gateway.token(['admin']))).statusCode).toBe(200);
  });

  it.each(roles.filter((role) => role !== 'auditor' && role !== 'admin'))('%s is refused every audit route with 403', async (role) => {
    const token = await gateway.token([role as Role]);
    for (const url of auditRoutes) expect((await get(url, token)).statusCode).toBe(403);
    expect(gateway.audit.calls).toHaveLength(0);
  });

  it('gives auditors no command route (signing a checkpoint records no fact), and the audit trail only to auditor and admin', () => {
    for (const [route, access] of Object.entries(routeRoles)) {
      if (access !== 'public' && access.includes('auditor') && route !== 'POST /v1/audit/checkpoints') expect(route).toMatch(/^GET /);
    }
    for (const url of auditRoutes) expect(routeRoles[`GET ${url.split('?')[0]!}`]).toEqual(['auditor', 'admin']);
  });
});

describe('GET /v1/audit/events', () => {
  it('passes the filter and page to audit and answers the events verbatim', async () => {
    const response = await get(
      `/v1/audit/events?personId=${personId}&type=PrisonerReleased&actor=intake-clerk&from=2025-09-01T00:00:00Z&to=2025-10-01T00:00:00Z&` +
        `limit=10&cursor=abc`,
    );
    expect(response.statusCode).toBe(200);
    expect(gateway.audit.calls[0]!.request).toEqual({
      filter: {
        personId,
        streamId: '',
        type: 'PrisonerReleased',
        actor: 'intake-clerk',
        from: '2025-09-01T00:00:00Z',
        to: '2025-10-01T00:00:00Z',
        through: '',
      },
      limit: 10,
      cursor: 'abc',
    });
    const body = response.json();
    expect(body.total).toBe(1);
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toMatchObject({
      eventId: auditEvent().envelope!.eventId,
      type: 'PrisonerReleased',
      data: { personId, mechanism: 'brokered' },
      offset: '42',
    });
  });

  it('refuses a filter that is not valid with 400, without calling audit', async () => {
    expect((await get('/v1/audit/events?personId=not-a-uuid')).statusCode).toBe(400);
    expect((await get('/v1/audit/events?from=yesterday')).statusCode).toBe(400);
    expect((await get('/v1/audit/events?limit=0')).statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });
});

describe('GET /v1/audit/events/export', () => {
  it('streams NDJSON, one event per line', async () => {
    const response = await get(`/v1/audit/events/export?personId=${personId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = response.body.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => (JSON.parse(line) as { streamVersion: number }).streamVersion)).toEqual([1, 2]);
    // Whom it names is asked first and logged, then the export is bounded by that position.
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['subjectsOf', 'recordAccess', 'exportEvents']);
    expect(gateway.audit.calls[0]).toMatchObject({
      request: { personId, streamId: '', type: '', actor: '', from: '', to: '', through: '' },
    });
    expect(gateway.audit.calls[1]).toMatchObject({
      request: {
        actor: 'auditor-7',
        personIds: [personId],
        route: 'GET /v1/audit/events/export',
        fields: expect.arrayContaining(['eventId', 'subject', 'data']),
      },
    });
    expect(gateway.audit.calls[2]).toMatchObject({ request: { personId, through: '42' } });
  });

  it('sends no line when the export cannot be logged (503)', async () => {
    gateway.audit.answers.recordAccess = () => grpcFailure(status.UNAVAILABLE, 'down');
    const response = await get(`/v1/audit/events/export?personId=${personId}`);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'audit.access-not-recorded' });
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['subjectsOf', 'recordAccess']);
  });

  it('answers an empty export with an empty body', async () => {
    gateway.audit.answers.exportEvents = () => of();
    const response = await get('/v1/audit/events/export');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });

  it('answers a problem when audit fails before the first line', async () => {
    gateway.audit.answers.exportEvents = () => grpcFailure(status.UNAVAILABLE, 'down');
    const response = await get('/v1/audit/events/export');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('GET /v1/audit/verify', () => {
  it('verifies one stream and names its first break', async () => {
    const eventId = '01936b2e-7a4c-7d1e-9f3a-000000000002';
    gateway.audit.answers.verifyStream = (request) =>
      of({
        streamId: request.streamId,
        eventsChecked: 2,
        valid: false,
        firstBroken: { eventId, streamVersion: 2, reason: 'hash-mismatch' },
      });
    const response = await get(`/v1/audit/verify?streamId=person-${personId}`);
    expect(response.json()).toEqual({
      streamId: `person-${personId}`,
      eventsChecked: 2,
      valid: false,
      firstBroken: { eventId, streamVersion: 2, reason: 'hash-mismatch' },
    });
  });

  it('verifies a whole context', async () => {
    const response = await get('/v1/audit/verify?source=intake');
    expect(response.json()).toEqual({ source: 'intake', streamsChecked: 1, eventsChecked: 3, valid: true, broken: [] });
    expect(gateway.audit.calls[0]).toMatchObject({ method: 'verifySource', request: { source: 'intake' } });
  });

  it('needs exactly one of streamId and source, and a known source', async () => {
    expect((await get('/v1/audit/verify')).statusCode).toBe(400);
    expect((await get(`/v1/audit/verify?streamId=x&source=intake`)).statusCode).toBe(400);
    expect((await get('/v1/audit/verify?source=gateway')).statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });

  it('answers 404 for a stream audit has never seen', async () => {
    gateway.audit.answers.verifyStream = () =>
      grpcFailure(status.NOT_FOUND, 'unknown', { kind: 'not-found', code: 'audit.stream-unknown' });
    expect((await get('/v1/audit/verify?streamId=person-nobody')).statusCode).toBe(404);
  });
});

describe('GET /v1/audit/access-log', () => {
  it('lists who read a file', async () => {
    const response = await get(`/v1/audit/access-log?personId=${personId}&actor=user-1&limit=5`);
    const entry = accessEntry();
    const view = {
      accessId: entry.accessId,
      actor: entry.actor,
      roles: entry.roles,
      personIds: entry.personIds,
      fields: entry.fields,
      at: entry.at,
      correlationId: entry.correlationId,
      route: entry.route,
    };
    expect(response.json()).toEqual({ items: [view], nextCursor: null });
    expect(gateway.audit.calls[0]!.request).toEqual({ personId, actor: 'user-1', from: '', to: '', limit: 5, cursor: '' });
  });
});
