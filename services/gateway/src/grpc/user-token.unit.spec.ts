// The gateway forwards the user's bearer token with every call it makes for a user (commands,
// queries, the access log entry), so each service verifies it again and takes the actor from it;
// calls made for nobody (health probes) carry none.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Metadata } from '@grpc/grpc-js';
import { personId, startGateway, type Harness, type RecordedCall } from '../testing/gateway-harness.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const sent = (call: RecordedCall | undefined) => (call?.rest[0] as Metadata | undefined)?.get('authorization');

describe("the user's token on the gRPC calls", () => {
  it('goes with a command, whatever actor the metadata names', async () => {
    const token = await gateway.token(['intake'], { sub: 'clerk-3' });
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/people',
      headers: { authorization: `Bearer ${token}` },
      payload: { fullName: 'Test Person' },
    });
    expect(response.statusCode).toBe(201);
    const call = gateway.intake.calls.find(({ method }) => method === 'registerPerson');
    expect(sent(call)).toEqual([`Bearer ${token}`]);
    expect(call?.request).toMatchObject({ metadata: { actor: 'clerk-3' } });
  });

  it('goes with a query and with the access log entry it writes', async () => {
    const token = await gateway.token(['intake']);
    const response = await gateway.app.inject({
      method: 'GET',
      url: `/v1/people/${personId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(sent(gateway.intake.calls.find(({ method }) => method === 'getPerson'))).toEqual([`Bearer ${token}`]);
    expect(sent(gateway.audit.calls.find(({ method }) => method === 'recordAccess'))).toEqual([`Bearer ${token}`]);
  });

  it('does not go with a health probe, which no user makes', async () => {
    await gateway.app.inject({ method: 'GET', url: '/health' });
    const probe = gateway.intake.calls.find(({ method }) => method === 'health');
    expect(probe).toBeDefined();
    expect(sent(probe)).toEqual([]);
  });
});
