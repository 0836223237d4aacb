// Advisors attach evidence to a case, over gRPC, against the real PostgreSQL and Kafka: a file is
// known by its sha256 and attached once. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf } from '@homeward/legal-domain';
import { refusedWith } from '../testing/legal-client.js';
import { flaggedCase, metadata } from '../testing/legal-harness.js';
import { newPersonId } from '../testing/observed-events.js';

describe('advisors attaching evidence', () => {
  const personId = newPersonId();
  const caseId = caseIdOf(personId);
  const flagged = flaggedCase(personId);

  it('attach evidence by its sha256, once per file', async () => {
    const sha256 = 'AB'.repeat(32);
    const attached = await flagged.harness.client.attachEvidence({
      metadata: metadata(),
      caseId,
      kind: 'photo',
      source: 'family',
      sha256,
      description: 'Photograph of the OGiM certificate',
      violationIds: [flagged.flagFor('ICCPR 12(4)').violationId],
    });
    expect(attached.id).not.toBe(caseId);
    expect(
      (
        await refusedWith(
          flagged.harness.client.attachEvidence({
            metadata: metadata(),
            caseId,
            kind: 'photo',
            source: 'lawyer',
            sha256: sha256.toLowerCase(),
            description: 'The same photograph',
            violationIds: [],
          }),
        )
      ).code,
    ).toBe('evidence.already-attached');
    expect((await flagged.harness.caseOf(personId)).evidence).toEqual([
      expect.objectContaining({ evidenceId: attached.id, sha256: 'ab'.repeat(32), kind: 'photo', attachedBy: 'advisor:lawyer-1' }),
    ]);
  });
});
