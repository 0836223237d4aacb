// Recording the destruction of a confiscated passport, over gRPC against the real PostgreSQL and
// Kafka. Invented people only.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { documentsHarness, metadata } from '../testing/documents-harness.js';

describe('recording a passport destruction', () => {
  const harness = documentsHarness();
  const personId = uuidv7();

  beforeAll(async () => {
    await harness.confiscate(personId);
  });

  it('records the destruction of the confiscated passport', async () => {
    await harness.client.recordPassportDestruction({
      metadata: metadata(),
      personId,
      destroyedAt: '2025-09-11T07:00:00Z',
      authority: 'kgb',
      account: 'torn up (invented)',
    });
    expect((await harness.documentsOf(personId)).passport).toEqual({
      state: 'destroyed',
      confiscation: { confiscatedAt: '2025-09-11T06:00:00.000Z', authority: 'kgb', place: 'Invented detention centre' },
      destruction: { destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: 'torn up (invented)' },
    });
  });
});
