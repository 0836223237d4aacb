// The actor intake records is the subject of the user's token the gateway forwards, verified by
// intake itself: not the actor the request's metadata names, and nothing without a valid token.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { personStreamId } from '@homeward/intake-domain';
import { devUserToken, grpcTestClient } from '@homeward/testing';
import type { IntakeTestClient } from '../testing/intake-client.js';
import { metadata, startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

const person = {
  personId: '',
  fullName: 'Actor Invented',
  aliases: [],
  birthDate: '',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: '',
  batchId: '',
};

function clientWith(token: string | null): IntakeTestClient {
  return grpcTestClient<IntakeTestClient>('intake', harness.url, undefined, token);
}

describe('registering a person through a client that names someone else as the actor', () => {
  it("records the token's subject as the actor", async () => {
    const client = clientWith(devUserToken('clerk-with-token', ['intake']));
    try {
      const { id } = await client.registerPerson({ metadata: metadata({ actor: 'someone-else' }), ...person });
      const [registered] = await harness.service.runtime.store!.readStream(personStreamId(id));
      expect(registered).toMatchObject({ type: 'PersonRegistered', actor: 'clerk-with-token' });
    } finally {
      client.close();
    }
  });

  it('records nothing without a token (UNAUTHENTICATED)', async () => {
    const client = clientWith(null);
    const before = await harness.query<{ count: string }>('SELECT count(*) FROM events');
    try {
      await expect(client.registerPerson({ metadata: metadata({ actor: 'someone-else' }), ...person })).rejects.toMatchObject({
        code: status.UNAUTHENTICATED,
      } satisfies Partial<ServiceError>);
    } finally {
      client.close();
    }
    expect(await harness.query('SELECT count(*) FROM events')).toEqual(before);
  });
});
