// Deciding a travel-document application, over gRPC against the real PostgreSQL and Kafka: a
// person whose every application was refused is at risk of statelessness. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { documentsHarness, metadata } from '../testing/documents-harness.js';

describe('deciding a travel-document application', () => {
  const harness = documentsHarness();

  it('is at risk of statelessness when every application was refused', async () => {
    const personId = uuidv7();
    await harness.confiscate(personId);
    const applied = await harness.apply(personId, { documentType: 'refugee-travel-document' });
    await harness.client.decideTravelDocumentApplication({
      metadata: metadata(),
      personId,
      applicationId: applied.applicationId,
      decision: 'refused',
      decidedAt: '2025-10-01T10:00:00Z',
      validUntil: '',
      reason: 'identity not established',
    });
    expect(await harness.documentsOf(personId)).toMatchObject({
      status: 'at-risk-of-statelessness',
      applications: [
        {
          decision: 'refused',
          decidedAt: '2025-10-01T10:00:00Z',
          reason: 'identity not established',
          validUntil: '',
          documentType: 'refugee-travel-document',
        },
      ],
    });
  });
});
