// Applying for a travel document, over gRPC against the real PostgreSQL and Kafka: the application
// gets a UUID v7 id, an issued document makes the person documented, and a retried application
// records nothing new. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { grpcStatusOf } from '@homeward/service-kit';
import { v7 as uuidv7 } from 'uuid';
import { application, documentsHarness, metadata, refusal, uuidV7 } from '../testing/documents-harness.js';

describe('applying for a travel document', () => {
  const harness = documentsHarness();

  it('assigns a UUID v7 application id, and an issued document makes the person documented and leaves the list', async () => {
    const personId = uuidv7();
    await harness.confiscate(personId);
    const applied = await harness.apply(personId);
    expect(applied).toMatchObject({
      id: personId,
      streamVersion: 2,
      repeatedRequest: false,
      applicationId: expect.stringMatching(uuidV7),
    });
    expect(await harness.documentsOf(personId)).toMatchObject({
      status: 'undocumented',
      applications: [
        {
          applicationId: applied.applicationId,
          appliedAt: '2025-09-20T10:00:00.000Z',
          country: 'LT',
          documentType: 'aliens-passport',
          decision: 'pending',
          decidedAt: '',
        },
      ],
    });

    const issued = await harness.client.decideTravelDocumentApplication({
      metadata: metadata(),
      personId,
      applicationId: applied.applicationId,
      decision: 'issued',
      decidedAt: '2025-10-20T10:00:00.000Z',
      validUntil: '2030-10-19',
      reason: '',
    });
    expect(issued).toMatchObject({ id: personId, streamVersion: 3 });
    expect(await harness.documentsOf(personId)).toMatchObject({
      status: 'documented',
      applications: [
        {
          applicationId: applied.applicationId,
          decision: 'issued',
          decidedAt: '2025-10-20T10:00:00.000Z',
          validUntil: '2030-10-19',
          reason: '',
        },
      ],
    });
    expect((await harness.listAll('')).map((item) => item.personId)).not.toContain(personId);
  });

  const anotherBody = 'another body with the key is refused';
  it(`answers a repeated application with the first application id and records nothing new; ${anotherBody}`, async () => {
    const personId = uuidv7();
    const key = `apply-${uuidv7()}`;
    const first = await harness.apply(personId, { metadata: metadata({ idempotencyKey: key }) });
    const again = await harness.apply(personId, { metadata: metadata({ idempotencyKey: key }) });
    expect(again).toEqual({ ...first, repeatedRequest: true });
    expect(again.applicationId).toMatch(uuidV7);
    expect(await harness.eventCount(personId)).toBe(1);
    expect((await harness.documentsOf(personId)).applications).toHaveLength(1);

    expect(
      await refusal(
        harness.client.applyForTravelDocument({ metadata: metadata({ idempotencyKey: key }), ...application(personId), country: 'PL' }),
      ),
    ).toEqual({
      status: grpcStatusOf['idempotency-key-reused'],
      code: 'request.idempotency-key-reused',
    });
    expect(await harness.eventCount(personId)).toBe(1);
  });
});
