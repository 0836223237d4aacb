// Advisors file a submission about a confirmed violation and follow its status through the forum,
// over gRPC, against the real PostgreSQL and Kafka. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { caseIdOf } from '@homeward/legal-domain';
import { uniqueName } from '@homeward/testing';
import { refusedWith } from '../testing/legal-client.js';
import { flaggedCase, metadata } from '../testing/legal-harness.js';
import { newPersonId } from '../testing/observed-events.js';

describe('advisors filing submissions', () => {
  const personId = newPersonId();
  const caseId = caseIdOf(personId);
  const flagged = flaggedCase(personId, { decided: true });

  const onRetry = 'a retry with the Idempotency-Key files nothing new';
  it(`file a submission about a confirmed violation and follow its status; ${onRetry}`, async () => {
    const violationIds = [flagged.flagFor('ICCPR 12(4)').violationId];
    const idempotencyKey = uniqueName('submission');
    // The same request twice, each with a correlation id of its own.
    const submit = () =>
      flagged.harness.client.fileSubmission({
        metadata: metadata({ idempotencyKey }),
        caseId,
        forum: 'un-human-rights-committee',
        violationIds,
        status: '',
        reference: '',
      });
    const filed = await submit();
    const retried = await submit();
    expect(retried).toEqual({ ...filed, repeatedRequest: true });

    expect(
      (
        await refusedWith(
          flagged.harness.client.fileSubmission({
            metadata: metadata(),
            caseId,
            forum: 'un-wgad',
            violationIds: [flagged.flagFor('ICCPR 12(2)').violationId],
            status: '',
            reference: '',
          }),
        )
      ).code,
    ).toBe('submission.violation-not-confirmed');

    const submissionId = filed.id;
    await flagged.harness.client.changeSubmissionStatus({
      metadata: metadata(),
      caseId,
      submissionId,
      status: 'filed',
      reference: '',
      note: 'sent by post',
    });
    expect(
      (
        await refusedWith(
          flagged.harness.client.changeSubmissionStatus({
            metadata: metadata(),
            caseId,
            submissionId,
            status: 'decided',
            reference: '',
            note: '',
          }),
        )
      ).code,
    ).toBe('submission.transition-not-allowed');
    const registered = await flagged.harness.client.changeSubmissionStatus({
      metadata: metadata(),
      caseId,
      submissionId,
      status: 'registered',
      reference: 'CCPR/C/4711/2025',
      note: '',
    });

    const stale = flagged.harness.client.changeSubmissionStatus({
      metadata: metadata({ expectedVersion: registered.streamVersion - 1 }),
      caseId,
      submissionId,
      status: 'communicated',
      reference: '',
      note: '',
    });
    expect((await refusedWith(stale)).kind).toBe('version-conflict');

    expect((await flagged.harness.caseOf(personId)).submissions).toEqual([
      expect.objectContaining({
        submissionId,
        forum: 'un-human-rights-committee',
        status: 'registered',
        reference: 'CCPR/C/4711/2025',
        history: [
          expect.objectContaining({ status: 'drafted' }),
          expect.objectContaining({ status: 'filed', note: 'sent by post' }),
          expect.objectContaining({ status: 'registered' }),
        ],
      }),
    ]);
  });
});
