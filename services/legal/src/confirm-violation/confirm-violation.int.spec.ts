// Advisors confirm and dismiss what the rules flagged, over gRPC, against the real PostgreSQL and
// Kafka: once each, with reasoning, and never on a case that does not exist. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf } from '@homeward/legal-domain';
import { refusedWith } from '../testing/legal-client.js';
import { confirmation, flaggedCase, metadata } from '../testing/legal-harness.js';
import { newPersonId } from '../testing/observed-events.js';

describe('advisors confirming and dismissing flags', () => {
  const personId = newPersonId();
  const caseId = caseIdOf(personId);
  const flagged = flaggedCase(personId);

  it('confirm one flag and dismiss another, once each, with reasoning', async () => {
    const twelveFour = flagged.flagFor('ICCPR 12(4)');
    const twelveTwo = flagged.flagFor('ICCPR 12(2)');
    const confirmed = await flagged.harness.client.confirmViolation({
      metadata: metadata(),
      caseId,
      violationId: twelveFour.violationId,
      reasoning: confirmation,
    });
    expect(confirmed).toMatchObject({ id: caseId, streamVersion: 4, eventIds: [expect.any(String)], repeatedRequest: false });
    await flagged.harness.client.dismissViolation({
      metadata: metadata(),
      caseId,
      violationId: twelveTwo.violationId,
      reasoning: 'The person could still leave Lithuania for a third country.',
    });

    expect(
      await refusedWith(
        flagged.harness.client.confirmViolation({
          metadata: metadata(),
          caseId,
          violationId: twelveFour.violationId,
          reasoning: confirmation,
        }),
      ),
    ).toEqual({ kind: 'rule-violated', code: 'violation.already-confirmed' });
    expect(
      (
        await refusedWith(
          flagged.harness.client.confirmViolation({
            metadata: metadata(),
            caseId,
            violationId: twelveTwo.violationId,
            reasoning: confirmation,
          }),
        )
      ).code,
    ).toBe('violation.already-dismissed');
    expect(
      (
        await refusedWith(
          flagged.harness.client.dismissViolation({
            metadata: metadata(),
            caseId,
            violationId: twelveFour.violationId,
            reasoning: 'short',
          }),
        )
      ).code,
    ).toBe('violation.reasoning-required');

    const found = await flagged.harness.caseOf(personId);
    expect(found.violations.find((v) => v.violationId === twelveFour.violationId)).toMatchObject({
      state: 'confirmed',
      decidedBy: 'advisor:lawyer-1',
      reasoning: confirmation,
    });
    expect(found.violations.find((v) => v.violationId === twelveTwo.violationId)).toMatchObject({ state: 'dismissed' });
    expect(found.provisions).toEqual(['ICCPR 12(4)']);
  });

  it('are refused on a case that does not exist, and with ids that are not UUIDs', async () => {
    const unknown = caseIdOf(newPersonId());
    expect((await refusedWith(flagged.harness.client.getCase({ caseId: unknown }))).code).toBe('case.not-found');
    expect(
      (
        await refusedWith(
          flagged.harness.client.confirmViolation({
            metadata: metadata(),
            caseId: unknown,
            violationId: flagged.flags[0]!.violationId,
            reasoning: confirmation,
          }),
        )
      ).code,
    ).toBe('case.not-found');
    expect(
      await refusedWith(
        flagged.harness.client.confirmViolation({ metadata: metadata(), caseId, violationId: 'v-1', reasoning: confirmation }),
      ),
    ).toEqual({
      kind: 'validation-failed',
      code: 'violation.id-invalid',
    });
  });
});
