import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import type { TokenVerifier } from '@homeward/security';
import { ProblemException } from '../problems/problem.js';
import { startGateway, type Harness } from '../testing/gateway-harness.js';
import { AuthGuard } from './auth.guard.js';
import { accessFor, routeRoles } from './route-roles.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const registration = { fullName: 'Test Person' };

describe('authentication', () => {
  it('answers 401 unauthenticated, as problem+json with a Bearer challenge, when there is no token', async () => {
    const response = await gateway.app.inject({ method: 'POST', url: '/v1/people', payload: registration });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="homeward"');
    expect(response.json()).toEqual({
      type: 'https://homeward.example/problems/unauthenticated',
      title: 'Authentication required',
      status: 401,
      detail: 'A bearer token is required',
      instance: '/v1/people',
    });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it.each([
    ['a scheme other than Bearer', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 'A bearer token is required'],
    [
      'an expired token',
      async () => `Bearer ${await gateway.token(['intake'], { exp: Math.floor(Date.now() / 1000) - 120 })}`,
      'The bearer token has expired',
    ],
    [
      'another issuer',
      async () => `Bearer ${await gateway.token(['intake'], { iss: 'elsewhere' })}`,
      'The bearer token was not issued for this API',
    ],
    [
      'another audience',
      async () => `Bearer ${await gateway.token(['intake'], { aud: 'another-api' })}`,
      'The bearer token was not issued for this API',
    ],
    [
      'an untrusted key',
      async () => `Bearer ${await gateway.token(['intake'], {}, 'untrusted')}`,
      'The bearer token is not signed by a trusted key',
    ],
    ['garbage', async () => 'Bearer not.a.jwt', 'The bearer token is malformed'],
  ])('answers 401 for %s', async (_case, authorization, detail) => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/people',
      payload: registration,
      headers: { authorization: await authorization() },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ type: 'https://homeward.example/problems/unauthenticated', detail });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('checks the token before validating the body', async () => {
    const response = await gateway.app.inject({ method: 'POST', url: '/v1/people', payload: { unknown: 1 } });
    expect(response.statusCode).toBe(401);
  });

  it('lets /health, /openapi.json and /docs through without a token', async () => {
    for (const url of ['/health', '/openapi.json', '/docs']) {
      expect((await gateway.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });
});

describe('roles', () => {
  it('answers 403 forbidden when the token has none of the roles the route needs', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/people',
      payload: registration,
      headers: { authorization: `Bearer ${await gateway.token(['legal', 'auditor'])}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      type: 'https://homeward.example/problems/forbidden',
      status: 403,
      detail: 'This route needs one of the roles: intake, admin',
    });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('lets every role of the table through on its route', async () => {
    for (const role of ['intake', 'legal', 'documents', 'notifications', 'admin'] as const) {
      const response = await gateway.app.inject({
        method: 'GET',
        url: '/v1/people/01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70',
        headers: { authorization: `Bearer ${await gateway.token([role])}` },
      });
      expect(response.statusCode).toBe(200);
    }
    for (const role of ['operator', 'auditor'] as const) {
      const response = await gateway.app.inject({
        method: 'GET',
        url: '/v1/people/01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70',
        headers: { authorization: `Bearer ${await gateway.token([role])}` },
      });
      expect(response.statusCode).toBe(403);
    }
  });

  it('refuses a route that the table does not list, whatever the roles (deny by default)', async () => {
    const verifier: TokenVerifier = { verify: async () => ({ sub: 'root', roles: ['admin', 'operator', 'auditor'] }) };
    const request = {
      method: 'DELETE',
      routeOptions: { url: '/v1/release-batches/:batchId' },
      headers: { authorization: 'Bearer x' },
      principal: null,
    };
    const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    const refusal = await new AuthGuard(verifier).canActivate(context).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProblemException);
    expect(refusal).toMatchObject({ kind: 'forbidden', detail: 'No role may call this route' });
  });

  it('reads HEAD as the GET it mirrors and knows no unlisted route', () => {
    expect(accessFor('HEAD', '/health')).toBe('public');
    expect(accessFor('GET', '/v1/people/:personId')).toEqual(routeRoles['GET /v1/people/:personId']);
    expect(accessFor('GET', '/v1/unlisted')).toBeUndefined();
    expect(accessFor('GET', undefined)).toBeUndefined();
    expect(accessFor('GET', 'toString')).toBeUndefined();
  });

  it('answers an address nothing serves with a 404 problem', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/nowhere?x=1',
      headers: { authorization: `Bearer ${await gateway.token(['admin'])}` },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: 'https://homeward.example/problems/not-found', instance: '/v1/nowhere' });
  });

  it('has a table entry for every route the gateway serves, and no entry for a route it does not', async () => {
    const document = (await gateway.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const served = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(served.filter((route) => !(route in routeRoles))).toEqual([]);
    // GET /metrics is reserved as public for when it lands.
    expect(Object.keys(routeRoles).filter((route) => !served.includes(route))).toEqual(['GET /metrics']);
  });
});
