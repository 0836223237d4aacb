import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { adminJobId, grpcFailure, startGateway, type Harness } from '../testing/gateway-harness.js';
import { adminTargets } from '../grpc/grpc-clients.js';
import { mergeMetrics } from './metrics-text.js';

let gateway: Harness;
let operator: string;
let auditor: string;
let intakeClerk: string;
beforeAll(async () => {
  gateway = await startGateway();
  operator = await gateway.token(['operator'], { sub: 'operator-1' });
  auditor = await gateway.token(['auditor'], { sub: 'auditor-1' });
  intakeClerk = await gateway.token(['intake'], { sub: 'clerk-1' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string, bearer = operator) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
const post = (url: string, payload?: unknown, bearer = operator) =>
  gateway.app.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: { authorization: `Bearer ${bearer}` },
  });

describe('GET /v1/admin/projections', () => {
  it('asks every service and lists their read models', async () => {
    const response = await get('/v1/admin/projections');
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      items: Array<{ service: string; kind: string; position: string | null; rows: number }>;
      unavailable: string[];
    };
    expect(body.items.map((item) => item.service).sort()).toEqual([...adminTargets].sort());
    expect(body.items[0]).toMatchObject({ kind: 'inline', state: 'live', position: '42', checkpoints: [], rows: 3, lag: 0 });
    expect(body.unavailable).toEqual([]);
  });

  it('names a service that does not answer instead of failing', async () => {
    gateway.admin.legal.answers.listProjections = () => grpcFailure(status.UNAVAILABLE, 'connect failed');
    const body = (await get('/v1/admin/projections')).json() as { items: Array<{ service: string }>; unavailable: string[] };
    expect(body.unavailable).toEqual(['legal']);
    expect(body.items.map((item) => item.service)).not.toContain('legal');
  });

  it('is for operators and admins only', async () => {
    expect((await get('/v1/admin/projections', intakeClerk)).statusCode).toBe(403);
    expect((await get('/v1/admin/projections', auditor)).statusCode).toBe(403);
    expect(gateway.admin.intake.calls).toHaveLength(0);
  });
});

describe('rebuilds and jobs', () => {
  it('starts a rebuild in the named service: 202 with a job id that names the service', async () => {
    const response = await post('/v1/admin/projections/intake/person_file/rebuild');
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      jobId: `intake:${adminJobId}`,
      service: 'intake',
      kind: 'rebuild',
      target: 'person_file',
      state: 'running',
      finishedAt: null,
      errorCode: null,
    });
    expect(gateway.admin.intake.calls.map((call) => [call.method, call.request])).toEqual([['rebuildProjection', { name: 'person_file' }]]);
    expect(gateway.admin.legal.calls).toHaveLength(0);
  });

  it('refuses an unknown service (404) and a name that is no table name (400)', async () => {
    expect((await post('/v1/admin/projections/payroll/person_file/rebuild')).statusCode).toBe(404);
    expect((await post('/v1/admin/projections/intake/person_file;drop/rebuild')).statusCode).toBe(400);
  });

  it('maps a refusal of the service to its problem', async () => {
    gateway.admin.legal.answers.rebuildProjection = () =>
      grpcFailure(status.NOT_FOUND, 'no such read model', { kind: 'not-found', code: 'projection.not-found' });
    const response = await post('/v1/admin/projections/legal/nothing/rebuild');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'projection.not-found' });
  });

  it('follows a job in the service its id names', async () => {
    const response = await get(`/v1/admin/jobs/notifications:${adminJobId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      jobId: `notifications:${adminJobId}`,
      state: 'done',
      eventsDone: 40,
      finishedAt: '2025-09-11T10:00:01.000Z',
    });
    expect(gateway.admin.notifications.calls[0]!.request).toEqual({ id: adminJobId });
    expect((await get(`/v1/admin/jobs/${adminJobId}`)).statusCode).toBe(400);
    expect((await get('/v1/admin/jobs/intake:not-a-uuid')).statusCode).toBe(400);
  });
});

describe('dead letters', () => {
  it("lists every service's dead letters with service-qualified ids and no content", async () => {
    const response = await get('/v1/admin/dead-letters');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { items: Array<Record<string, unknown>> };
    expect(body.items).toHaveLength(adminTargets.length);
    expect(body.items[0]).toMatchObject({ deadLetterId: `${adminTargets[0]}:7`, eventType: null, retriedAt: null, attempts: 1 });
    expect(Object.keys(body.items[0]!).sort()).toEqual([
      'attempts',
      'createdAt',
      'deadLetterId',
      'error',
      'eventType',
      'group',
      'offset',
      'partition',
      'retriedAt',
      'service',
      'topic',
    ]);
  });

  it('retries one in its service', async () => {
    const response = await post('/v1/admin/dead-letters/legal:7/retry');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ deadLetterId: 'legal:7', outcome: 'applied' });
    expect(gateway.admin.legal.calls[0]!.request).toEqual({ id: '7' });
    expect((await post('/v1/admin/dead-letters/legal:abc/retry')).statusCode).toBe(400);
  });
});

describe('POST /v1/admin/replays', () => {
  it('re-publishes a stream of the named service: 202 with the job', async () => {
    const response = await post('/v1/admin/replays', { service: 'intake', streamId: 'person-1' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ jobId: `intake:${adminJobId}`, kind: 'republish', state: 'done', eventsDone: 3 });
    expect(gateway.admin.intake.calls[0]!.request).toEqual({ streamId: 'person-1', from: '', to: '' });
  });

  it('refuses a body with neither stream nor range, an unknown service, or a bad time', async () => {
    expect((await post('/v1/admin/replays', { service: 'intake' })).statusCode).toBe(400);
    expect((await post('/v1/admin/replays', { service: 'payroll', streamId: 'x' })).statusCode).toBe(400);
    expect((await post('/v1/admin/replays', { service: 'intake', from: 'yesterday' })).statusCode).toBe(400);
    expect(gateway.admin.intake.calls).toHaveLength(0);
  });
});

describe('GET /v1/admin/streams/{service}/{streamId}/verify', () => {
  it('is open to auditors and answers the verification', async () => {
    gateway.admin.intake.answers.verifyStream = () =>
      grpcFailure(status.NOT_FOUND, 'no such stream', { kind: 'not-found', code: 'stream.not-found' });
    expect((await get('/v1/admin/streams/intake/person-9/verify', auditor)).statusCode).toBe(404);
    gateway.reset();
    const response = await get('/v1/admin/streams/intake/person-9/verify', auditor);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ service: 'intake', streamId: 'person-9', eventsChecked: 3, valid: true, firstBroken: null });
    expect((await get('/v1/admin/streams/intake/person-9/verify', intakeClerk)).statusCode).toBe(403);
  });
});

describe('GET /metrics', () => {
  it('is for operators, and rate limited like every token (none: 401; another role: 403)', async () => {
    expect((await gateway.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await get('/metrics', intakeClerk)).statusCode).toBe(403);
  });

  it("concatenates every service's text, each family typed once", async () => {
    const response = await get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text.match(/# TYPE homeward_outbox_pending gauge/g)).toHaveLength(1);
    for (const service of adminTargets) {
      expect(text).toContain(`homeward_outbox_pending{service="${service}"} 0`);
      expect(text).toContain(`homeward_admin_up{service="${service}"} 1`);
    }
  });

  it('marks a service that does not answer as down', async () => {
    gateway.admin.legal.answers.metrics = () => grpcFailure(status.UNAVAILABLE, 'connect failed');
    const text = (await get('/metrics')).body;
    expect(text).toContain('homeward_admin_up{service="legal"} 0');
    expect(text).not.toContain('homeward_outbox_pending{service="legal"}');
  });

  it('merges families across texts', () => {
    expect(mergeMetrics(['# TYPE a counter\na{s="1"} 1\n# TYPE b gauge\nb 2\n', '# TYPE a counter\na{s="2"} 3\n'])).toBe(
      '# TYPE a counter\na{s="1"} 1\na{s="2"} 3\n# TYPE b gauge\nb 2\n',
    );
  });
});
