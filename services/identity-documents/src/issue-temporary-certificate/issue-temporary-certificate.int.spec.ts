// Issuing the OGiM A4 certificate, over gRPC against the real PostgreSQL and Kafka: with no other
// paper left, the person is at risk of statelessness. Invented people only.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { documentsHarness } from '../testing/documents-harness.js';

describe('issuing a temporary certificate', () => {
  const harness = documentsHarness();
  const personId = uuidv7();

  beforeAll(async () => {
    await harness.confiscate(personId);
  });

  it('is at risk of statelessness once the A4 certificate is its only paper', async () => {
    const result = await harness.certify(personId);
    expect(result).toMatchObject({ id: personId, streamVersion: 2 });
    const documents = await harness.documentsOf(personId);
    expect(documents).toMatchObject({ streamVersion: 2, status: 'at-risk-of-statelessness' });
    expect(documents.certificates).toEqual([
      { eventId: result.eventIds[0], issuedAt: '2025-09-11T09:00:00.000Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false },
    ]);
    expect(await harness.listAll('at-risk-of-statelessness')).toContainEqual({ personId, status: 'at-risk-of-statelessness' });
    expect((await harness.listAll('undocumented')).map((item) => item.personId)).not.toContain(personId);
    expect(await harness.listAll('')).toContainEqual({ personId, status: 'at-risk-of-statelessness' });
  });
});
