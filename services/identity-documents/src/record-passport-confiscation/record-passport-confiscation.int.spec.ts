// Recording a confiscated passport, over gRPC against the real PostgreSQL and Kafka: the person is
// undocumented from then on, and a retried request records nothing new. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { confiscation, documentsHarness, metadata, uuidV7 } from '../testing/documents-harness.js';

describe('recording a passport confiscation', () => {
  const harness = documentsHarness();
  const personId = uuidv7();

  it('is undocumented after the confiscation', async () => {
    const result = await harness.confiscate(personId);
    expect(result).toMatchObject({ id: personId, streamVersion: 1, repeatedRequest: false });
    expect(result.eventIds).toEqual([expect.stringMatching(uuidV7)]);

    expect(await harness.documentsOf(personId)).toMatchObject({
      personId,
      streamVersion: 1,
      status: 'undocumented',
      passport: {
        state: 'confiscated',
        confiscation: { confiscatedAt: '2025-09-11T06:00:00.000Z', authority: 'kgb', place: 'Invented detention centre' },
      },
      certificates: [],
      applications: [],
    });
    expect(await harness.listAll('undocumented')).toContainEqual({ personId, status: 'undocumented' });
  });

  it('answers a repeated confiscation with the first result instead of passport.already-confiscated', async () => {
    const personId = uuidv7();
    const key = `confiscate-${uuidv7()}`;
    const first = await harness.client.recordPassportConfiscation({
      metadata: metadata({ idempotencyKey: key }),
      ...confiscation(personId),
    });
    const again = await harness.client.recordPassportConfiscation({
      metadata: metadata({ idempotencyKey: key }),
      ...confiscation(personId),
    });
    expect(again).toEqual({ ...first, repeatedRequest: true });
    expect(await harness.eventCount(personId)).toBe(1);
  });
});
