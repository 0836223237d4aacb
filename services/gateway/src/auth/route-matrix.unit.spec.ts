// Every route of the roles table, called through the real gateway pipeline with every kind of
// bad token and with a token of each role, tokens verified against a JWKS over HTTP as in
// production. The answers must follow the table: adding a route to it adds it to this test.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { roles, type Role } from '@homeward/security';
import { startGateway, type Harness } from '../testing/gateway-harness.js';
import { routeRoles } from './route-roles.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway({ jwks: true });
}, 30_000);
afterAll(() => gateway.close());

/** Syntactically valid values for the path parameters the table uses. */
const params: Record<string, string> = {
  service: 'intake',
  name: 'person_file',
  jobId: 'intake:01936b2e-7a4c-7d1e-9f3a-0000000000b1',
  deadLetterId: 'intake:7',
  streamId: 'person-01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70',
};
const uuid = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70';

const routes = Object.entries(routeRoles).map(([route, access]) => {
  const [method, pattern] = route.split(' ') as [string, string];
  const url = pattern.replace(/:(\w+)/g, (_match, name: string) => params[name] ?? uuid);
  return { route, method, url, access };
});

async function call(method: string, url: string, authorization?: string) {
  const response = await gateway.app.inject({
    method: method as 'GET',
    url,
    headers: authorization ? { authorization } : {},
    ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
  });
  return response;
}

const now = () => Math.floor(Date.now() / 1000);
const badTokens: Array<[string, () => Promise<string | undefined>]> = [
  ['no token', async () => undefined],
  ['an expired token', async () => `Bearer ${await gateway.token(['admin'], { iat: now() - 600, exp: now() - 120 })}`],
  ['a token of another issuer', async () => `Bearer ${await gateway.token(['admin'], { iss: 'someone-else' })}`],
  ['a token for another audience', async () => `Bearer ${await gateway.token(['admin'], { aud: 'another-api' })}`],
  ['a token signed by another key', async () => `Bearer ${await gateway.token(['admin'], {}, 'untrusted')}`],
];

describe('the route/role matrix', () => {
  it('covers more than the public routes', () => {
    expect(routes.filter((entry) => entry.access !== 'public').length).toBeGreaterThan(40);
  });

  it.each(badTokens)('answers 401 problem+json on every protected route with %s', async (_case, authorization) => {
    const header = await authorization();
    const wrong: string[] = [];
    for (const { route, method, url, access } of routes) {
      const response = await call(method, url, header);
      if (access === 'public') {
        if (response.statusCode === 401 || response.statusCode === 403) wrong.push(`${route} (public) -> ${response.statusCode}`);
        continue;
      }
      if (response.statusCode !== 401 || !String(response.headers['content-type']).startsWith('application/problem+json')) {
        wrong.push(`${route} -> ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(roles.map((role) => [role] as [Role]))('lets %s call exactly the routes the table grants it', async (role) => {
    const authorization = `Bearer ${await gateway.token([role])}`;
    const wrong: string[] = [];
    for (const { route, method, url, access } of routes) {
      const response = await call(method, url, authorization);
      const allowed = access === 'public' || access.includes(role);
      if (allowed && (response.statusCode === 401 || response.statusCode === 403))
        wrong.push(`${route} -> ${response.statusCode}, expected access`);
      if (!allowed && response.statusCode !== 403) wrong.push(`${route} -> ${response.statusCode}, expected 403`);
    }
    expect(wrong).toEqual([]);
  });

  it('grants nothing to a valid token without a known role', async () => {
    const authorization = `Bearer ${await gateway.token([], { roles: ['superuser'] })}`;
    const answers = new Set<number>();
    for (const { method, url, access } of routes) if (access !== 'public') answers.add((await call(method, url, authorization)).statusCode);
    expect([...answers]).toEqual([403]);
  });
});
