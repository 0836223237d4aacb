// The reconciliation routes through the real gateway pipeline, the contexts' admin services and
// audit faked: a run started, followed and read; what it finds on the page and in /metrics (per
// context and kind, never a stream id); a side that cannot be read; the refusals.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { Metadata } from '@grpc/grpc-js';
import { createLogger } from '@homeward/observability';
import { bearerMetadataKey } from '@homeward/security';
import { of, Subject } from 'rxjs';
import { adminFake, grpcFailure, startGateway, type Harness } from '../../testing/gateway-harness.js';
import { Reconciler, reconcileConfigFromEnv } from './reconciler.js';
import type { ReconciliationView } from './reconciliation.views.js';

let gateway: Harness;
let operator: string;
beforeAll(async () => {
  gateway = await startGateway();
  operator = await gateway.token(['operator'], { sub: 'operator-1' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string, bearer = operator) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
const post = (payload: unknown, bearer = operator) =>
  gateway.app.inject({
    method: 'POST',
    url: '/v1/admin/reconciliations',
    payload: payload as object,
    headers: { authorization: `Bearer ${bearer}` },
  });

type RunView = ReconciliationView;

async function finished(reconciliationId: string): Promise<RunView> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const body = (await get(`/v1/admin/reconciliations/${reconciliationId}`)).json() as RunView;
    if (body.state === 'done') return body;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the run did not finish');
}

const old = '2025-09-11T10:00:00.000Z';
const event = (version: number, eventId: string) => ({ version, eventId, hash: `h-${eventId}` });
const eventId = (n: number) => `01936b2e-7a4c-7d1e-9f3a-${String(n).padStart(12, '0')}`;

describe('POST /v1/admin/reconciliations, then GET /v1/admin/reconciliations/{id}', () => {
  it('runs every context against its copy and finds a clean system clean', async () => {
    const started = await post({});
    expect(started.statusCode).toBe(202);
    const run = started.json() as RunView;
    expect(run).toMatchObject({ reconciliationId: expect.stringMatching(/^[0-9a-f-]{36}$/), graceSeconds: 60 });
    const done = await finished(run.reconciliationId);
    expect(done.clean).toBe(true);
    expect(done.contexts.map((context) => [context.context, context.state])).toEqual([
      ['intake', 'done'],
      ['legal', 'done'],
      ['identity-documents', 'done'],
      ['notifications', 'done'],
    ]);
    expect(gateway.admin.audit.calls).toHaveLength(0);
    expect(
      gateway.audit.calls
        .filter((call) => call.method === 'copiedStreamHeads')
        .map((call) => (call.request as { source: string }).source)
        .sort(),
    ).toEqual(['identity-documents', 'intake', 'legal', 'notifications']);
    // The operator surface: no user's token travels with the calls.
    for (const call of [...gateway.audit.calls, ...gateway.admin.intake.calls])
      expect((call.rest[0] as Metadata).get(bearerMetadataKey)).toEqual([]);
    expect((await get('/v1/admin/reconciliations/latest')).json()).toMatchObject({ reconciliationId: run.reconciliationId });
  });

  it('names what is missing, extra and different, per context and in /metrics without a stream id', async () => {
    const streamId = 'person-01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70';
    gateway.admin.intake.answers.streamHeads = () =>
      of({ items: [{ streamId, version: 3, hash: 'h3', events: 3, digest: 'store' }], nextCursor: '' });
    gateway.audit.answers.copiedStreamHeads = (request) =>
      of({ items: request.source === 'intake' ? [{ streamId, version: 4, hash: 'h4', events: 3, digest: 'copy' }] : [], nextCursor: '' });
    gateway.admin.intake.answers.streamEvents = () =>
      of({ items: [1, 2, 3].map((version) => ({ ...event(version, eventId(version)), recordedAt: old })), nextCursor: '' });
    gateway.audit.answers.copiedStreamEvents = () =>
      of({ items: [event(1, eventId(1)), { ...event(2, eventId(2)), hash: 'changed' }, event(4, eventId(4))], nextCursor: '' });

    const run = await finished(((await post({ contexts: ['intake'], graceSeconds: 0 })).json() as RunView).reconciliationId);
    expect(run).toMatchObject({ clean: false, graceSeconds: 0 });
    expect(run.contexts).toEqual([
      {
        context: 'intake',
        state: 'done',
        errorCode: null,
        streams: 1,
        events: 3,
        missing: 1,
        extra: 1,
        different: 1,
        pending: 0,
        duplicateVersions: 0,
        samples: [
          { kind: 'different', streamId, version: 2, eventId: eventId(2), copyEventId: eventId(2) },
          { kind: 'missing', streamId, version: 3, eventId: eventId(3), copyEventId: null },
          { kind: 'extra', streamId, version: 4, eventId: null, copyEventId: eventId(4) },
        ],
      },
    ]);
    expect(gateway.admin.legal.calls).toHaveLength(0);
    expect(gateway.audit.calls.find((call) => call.method === 'copiedStreamEvents')?.request).toEqual({
      source: 'intake',
      streamId,
      cursor: '',
      limit: 500,
    });

    const metrics = (await get('/metrics')).body;
    expect(metrics).toContain('homeward_audit_reconcile_discrepancies{context="intake",kind="missing"} 1');
    expect(metrics).toContain('homeward_audit_reconcile_discrepancies{context="intake",kind="extra"} 1');
    expect(metrics).toContain('homeward_audit_reconcile_discrepancies{context="intake",kind="different"} 1');
    expect(metrics).toContain('homeward_audit_reconcile_pending{context="intake"} 0');
    expect(metrics).toMatch(/^homeward_audit_reconcile_last_run_timestamp_seconds\{context="intake"\} \d{10}$/m);
    expect(metrics).toContain('# TYPE homeward_audit_reconcile_discrepancies gauge');
    expect(metrics).not.toContain(streamId);
    expect(gateway.logs.join('\n')).not.toContain(streamId);
  });

  it('fails a context whose copy cannot be read, names the side, and counts the failure', async () => {
    gateway.audit.answers.copiedStreamHeads = (request) =>
      request.source === 'legal' ? grpcFailure(status.UNAVAILABLE, 'connect failed') : of({ items: [], nextCursor: '' });
    const before = /homeward_audit_reconcile_failures_total\{context="legal"\} (\d+)/.exec((await get('/metrics')).body)![1]!;
    const run = await finished(((await post({ contexts: ['legal', 'notifications'] })).json() as RunView).reconciliationId);
    expect(run.clean).toBe(false);
    expect(run.contexts.map(({ context, state, errorCode }) => ({ context, state, errorCode }))).toEqual([
      { context: 'legal', state: 'failed', errorCode: 'reconciliation.copy-unreadable' },
      { context: 'notifications', state: 'done', errorCode: null },
    ]);
    expect((await get('/metrics')).body).toContain(`homeward_audit_reconcile_failures_total{context="legal"} ${Number(before) + 1}`);
    expect(
      gateway.logs.some(
        (line) => line.includes('reconciliation of a context failed') && line.includes('"code":"reconciliation.copy-unreadable"'),
      ),
    ).toBe(true);
  });

  it('answers a run under way that covers the contexts asked for instead of starting another', async () => {
    const held = new Subject<{ items: never[]; nextCursor: string }>();
    gateway.admin.notifications.answers.streamHeads = () => held;
    const first = (await post({})).json() as RunView;
    expect(first.state).toBe('running');
    expect(((await post({ contexts: ['notifications'] })).json() as RunView).reconciliationId).toBe(first.reconciliationId);
    expect((await get(`/v1/admin/reconciliations/${first.reconciliationId}`)).json()).toMatchObject({ state: 'running', clean: null });
    held.next({ items: [], nextCursor: '' });
    held.complete();
    expect((await finished(first.reconciliationId)).clean).toBe(true);
  });

  it('refuses a context it does not reconcile, a grace out of range, an unknown field, and an id that is no run', async () => {
    for (const body of [
      { contexts: ['audit'] },
      { contexts: 'intake' },
      { graceSeconds: -1 },
      { graceSeconds: 1.5 },
      { everything: true },
    ]) {
      const response = await post(body);
      expect({ body, status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        body,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
    expect((await get('/v1/admin/reconciliations/not-a-run')).statusCode).toBe(400);
    const unknown = await get('/v1/admin/reconciliations/01936b2e-7a4c-7d1e-9f3a-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'reconciliation.not-found' });
  });

  it('is for operators and admins only', async () => {
    const auditor = await gateway.token(['auditor']);
    expect((await post({}, auditor)).statusCode).toBe(403);
    expect((await get('/v1/admin/reconciliations/latest', auditor)).statusCode).toBe(403);
    expect(gateway.audit.calls.filter((call) => call.method.startsWith('copied'))).toHaveLength(0);
  });
});

describe('the schedule', () => {
  const quiet = createLogger('gateway', { destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });

  it('is off unless AUDIT_RECONCILE_INTERVAL_SECONDS is set, and refuses a value that is no number of seconds', () => {
    expect(reconcileConfigFromEnv({})).toEqual({ graceSeconds: 60, intervalSeconds: 0 });
    expect(reconcileConfigFromEnv({ AUDIT_RECONCILE_INTERVAL_SECONDS: '3600', AUDIT_RECONCILE_GRACE_SECONDS: '0' })).toEqual({
      graceSeconds: 0,
      intervalSeconds: 3600,
    });
    expect(() => reconcileConfigFromEnv({ AUDIT_RECONCILE_INTERVAL_SECONDS: '1h' })).toThrow(
      'AUDIT_RECONCILE_INTERVAL_SECONDS must be a whole number of seconds',
    );
  });

  it('runs every context every interval, and stops when the gateway closes (Nest calls onModuleDestroy on it)', async () => {
    jest.useFakeTimers();
    try {
      const admin = Object.fromEntries(
        ['intake', 'legal', 'identity-documents', 'notifications'].map((context) => [context, adminFake(context).client]),
      );
      const reconciler = new Reconciler({ admin, audit: gateway.audit.client }, quiet, { graceSeconds: 60, intervalSeconds: 600 });
      expect(reconciler.get('latest')).toBeUndefined();
      jest.advanceTimersByTime(600_000);
      const first = reconciler.get('latest')!;
      expect(first.contexts).toHaveLength(4);
      await reconciler.settle();
      jest.advanceTimersByTime(600_000);
      expect(reconciler.get('latest')!.id).not.toBe(first.id);
      await reconciler.settle();
      reconciler.onModuleDestroy();
      const last = reconciler.get('latest')!.id;
      jest.advanceTimersByTime(1_800_000);
      expect(reconciler.get('latest')!.id).toBe(last);
    } finally {
      jest.useRealTimers();
    }
  });
});
