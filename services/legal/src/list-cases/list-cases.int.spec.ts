// Advisors find cases by provision, over gRPC, against the real PostgreSQL and Kafka: a flag counts
// while it is flagged or confirmed, never once dismissed. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf } from '@homeward/legal-domain';
import { flaggedCase } from '../testing/legal-harness.js';
import { newPersonId } from '../testing/observed-events.js';

describe('advisors listing cases', () => {
  const personId = newPersonId();
  const caseId = caseIdOf(personId);
  const flagged = flaggedCase(personId, { decided: true });

  it('find cases by provision: flagged or confirmed, never dismissed', async () => {
    const twelveFour = await flagged.harness.client.listCases({ personId, provision: 'ICCPR 12(4)', limit: 10 });
    const twelveTwo = await flagged.harness.client.listCases({ personId, provision: 'ICCPR 12(2)', limit: 10 });
    expect((twelveFour.items ?? []).map((item) => item.caseId)).toEqual([caseId]);
    expect(twelveTwo.items ?? []).toEqual([]);
  });
});
