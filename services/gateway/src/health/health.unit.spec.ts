import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { of } from 'rxjs';
import { grpcFailure, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const details = async () =>
  gateway.app.inject({ method: 'GET', url: '/health/details', headers: { authorization: `Bearer ${await gateway.token(['operator'])}` } });

describe('GET /health', () => {
  it('answers the verdict only, to anyone: nothing about what is behind the gateway', async () => {
    expect((await gateway.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    gateway.legal.answers.health = () => grpcFailure(status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    const down = await gateway.app.inject({ method: 'GET', url: '/health' });
    expect({ status: down.statusCode, body: down.json() }).toEqual({ status: 503, body: { status: 'unavailable' } });
  });
});

describe('GET /health/details', () => {
  it('is for operators only', async () => {
    expect((await gateway.app.inject({ method: 'GET', url: '/health/details' })).statusCode).toBe(401);
    const clerk = await gateway.token(['intake']);
    expect(
      (await gateway.app.inject({ method: 'GET', url: '/health/details', headers: { authorization: `Bearer ${clerk}` } })).statusCode,
    ).toBe(403);
  });

  it('answers 200 ok when every service is ready, asking each with a 1 s deadline', async () => {
    const before = Date.now();
    const response = await details();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      services: {
        intake: { ready: true, checks: { postgres: 'ok' } },
        legal: { ready: true, checks: { postgres: 'ok' } },
        'identity-documents': { ready: true, checks: { postgres: 'ok' } },
        notifications: { ready: true, checks: { postgres: 'ok' } },
        audit: { ready: true, checks: { postgres: 'ok' } },
      },
    });
    for (const call of [
      ...gateway.intake.calls,
      ...gateway.legal.calls,
      ...gateway.identityDocuments.calls,
      ...gateway.notifications.calls,
      ...gateway.audit.calls,
    ]) {
      const deadline = (call.rest[1] as { deadline: number }).deadline;
      expect(deadline).toBeGreaterThanOrEqual(before + 1_000);
      expect(deadline).toBeLessThanOrEqual(Date.now() + 1_000);
    }
  });

  it('answers 503 with the same shape when a service is not ready or does not answer', async () => {
    gateway.intake.answers.health = () => of({ service: 'intake', ready: false, checks: { postgres: 'down' } });
    gateway.legal.answers.health = () => grpcFailure(status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    const response = await details();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'unavailable',
      services: {
        intake: { ready: false, checks: { postgres: 'down' } },
        legal: { ready: false, error: 'DEADLINE_EXCEEDED' },
        'identity-documents': { ready: true, checks: { postgres: 'ok' } },
        notifications: { ready: true, checks: { postgres: 'ok' } },
        audit: { ready: true, checks: { postgres: 'ok' } },
      },
    });
  });
});
