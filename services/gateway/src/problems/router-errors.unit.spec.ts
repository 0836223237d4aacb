// Addresses the router itself refuses still get a problem document, not Fastify's own JSON.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway();
}, 30_000);
afterAll(() => gateway.close());

describe('malformed addresses', () => {
  it.each([
    ['bad percent-encoding', '/v1/people/%ZZ/release'],
    ['a parameter longer than the router takes', `/v1/people/${'a'.repeat(150)}/release`],
  ])('answers %s with a 400 problem and calls no service', async (_case, url) => {
    const response = await gateway.app.inject({
      method: 'POST',
      url,
      payload: {},
      headers: { authorization: `Bearer ${await gateway.token(['admin'])}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: 'https://homeward.example/problems/validation-failed',
      status: 400,
      detail: 'The address is not valid',
    });
    expect(gateway.intake.calls).toHaveLength(0);
  });
});
