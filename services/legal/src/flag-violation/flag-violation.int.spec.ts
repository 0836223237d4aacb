// Advisors flag by hand what no rule saw, over gRPC, against the real PostgreSQL and Kafka.
// Invented people only.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf } from '@homeward/legal-domain';
import { flaggedCase, metadata } from '../testing/legal-harness.js';
import { newPersonId } from '../testing/observed-events.js';

describe('advisors flagging by hand', () => {
  const personId = newPersonId();
  const caseId = caseIdOf(personId);
  const flagged = flaggedCase(personId);

  it('flag by hand what no rule saw', async () => {
    const byHand = await flagged.harness.client.flagViolation({
      metadata: metadata(),
      caseId,
      instrument: 'ICCPR',
      provision: '9(1)',
      restsOn: [],
      summary: 'Arbitrary detention before the release.',
    });
    expect((await flagged.harness.caseOf(personId)).violations.find((v) => v.violationId === byHand.id)).toMatchObject({
      citation: 'ICCPR 9(1)',
      flaggedBy: 'advisor:lawyer-1',
      state: 'flagged',
    });
  });
});
