// The limit as a caller meets it: per token subject, per address without a valid token, a 429
// problem with Retry-After, and nothing reaching the back end once refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway({ rateLimit: { perMinute: 6, burst: 3 } });
}, 30_000);
afterAll(() => gateway.close());

const read = (authorization?: string) =>
  gateway.app.inject({
    method: 'GET',
    url: '/v1/people/01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70',
    headers: authorization ? { authorization } : {},
  });

describe('rate limiting', () => {
  it('answers 429 problem+json with Retry-After once a token has spent its burst, and spares other tokens', async () => {
    const first = `Bearer ${await gateway.token(['intake'], { sub: 'busy-user' })}`;
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await read(first)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(gateway.intake.calls.filter((call) => call.method === 'getPerson')).toHaveLength(3);

    const refused = await read(first);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({ type: 'https://homeward.example/problems/rate-limited', status: 429 });

    // The same subject in a new token shares the bucket; another subject has its own.
    expect((await read(`Bearer ${await gateway.token(['intake'], { sub: 'busy-user' })}`)).statusCode).toBe(429);
    expect((await read(`Bearer ${await gateway.token(['intake'], { sub: 'calm-user' })}`)).statusCode).toBe(200);
  });

  it('limits requests without a valid token by address, and leaves health alone', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await read(i % 2 ? undefined : 'Bearer not.a.jwt')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    for (let i = 0; i < 5; i += 1) expect((await gateway.app.inject({ method: 'GET', url: '/health' })).statusCode).not.toBe(429);
  });
});
