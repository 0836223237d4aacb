// The gateway alone, with gRPC fakes that record every call: invalid requests by construction
// never reach a service, never get a 5xx, and are answered with a problem that reveals nothing
// of the gateway's insides. The end-to-end twin (test/e2e/hostile-input) runs the same requests
// against the real system and counts the events.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { answerFaults, hostileRequest, segments, urlFor } from '@homeward/testing';
import { routeRoles } from '../auth/route-roles.js';
import { startGateway, type Harness } from '../testing/gateway-harness.js';

const commandRoutes = Object.keys(routeRoles)
  .filter((route) => route.startsWith('POST '))
  .map((route) => route.slice('POST '.length));

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());

const serviceCalls = () =>
  [gateway.intake, gateway.legal, gateway.identityDocuments, gateway.notifications, gateway.audit, ...Object.values(gateway.admin)].flatMap(
    (fake) => fake.calls.map((call) => call.method),
  );

describe('hostile input, in-process', () => {
  it('answers every invalid command request with a 4xx problem and calls no service', async () => {
    const authorization = `Bearer ${await gateway.token(['admin'])}`;
    const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commandRoutes), segments, hostileRequest, async (route, path, hostile) => {
        const response = await gateway.app.inject({
          method: 'POST',
          url: urlFor(route, [...path]),
          headers: { authorization, ...(hostile.contentType ? { 'content-type': hostile.contentType } : {}) },
          ...(hostile.body === undefined ? {} : { payload: typeof hostile.body === 'string' ? hostile.body : Buffer.from(hostile.body) }),
        });
        for (const fault of answerFaults(response.statusCode, String(response.headers['content-type'] ?? ''), response.body)) {
          failures.push(`${route} [${hostile.label}] -> ${response.statusCode}: ${fault}`);
        }
      }),
      { numRuns: 1_000, seed },
    );
    expect({ seed, failures: failures.slice(0, 20), calls: serviceCalls().filter((method) => method !== 'recordAccess') }).toEqual({
      seed,
      failures: [],
      calls: [],
    });
  }, 300_000);
});
