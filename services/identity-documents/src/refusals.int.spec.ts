// Every command's and query's refusals, over gRPC against the real PostgreSQL and Kafka: stable
// codes, the shared status table, nothing written. Invented people only.
import { describe, expect, it } from '@jest/globals';
import type { ProblemKind } from '@homeward/decider';
import { grpcStatusOf } from '@homeward/service-kit';
import { v7 as uuidv7 } from 'uuid';
import { a4Certificate, application, confiscation, documentsHarness, metadata, refusal } from './testing/documents-harness.js';

describe('refusals: stable codes, the shared status table, nothing written', () => {
  const harness = documentsHarness();
  const personId = uuidv7();
  const status = (kind: ProblemKind) => grpcStatusOf[kind];

  it('refuses broken rules with FAILED_PRECONDITION and the rule code', async () => {
    await harness.confiscate(personId);
    expect(await refusal(harness.client.recordPassportConfiscation({ metadata: metadata(), ...confiscation(personId) }))).toEqual({
      status: status('rule-violated'),
      code: 'passport.already-confiscated',
    });
    expect(
      await refusal(
        harness.client.issueTemporaryCertificate({ metadata: metadata(), ...a4Certificate(personId), validAsIdentityDocument: true }),
      ),
    ).toEqual({
      status: status('rule-violated'),
      code: 'certificate.ogim-a4-not-identity-document',
    });
    const applied = await harness.apply(personId);
    const decide = (decidedAt: string) =>
      harness.client.decideTravelDocumentApplication({
        metadata: metadata(),
        personId,
        applicationId: applied.applicationId,
        decision: 'refused',
        decidedAt,
        validUntil: '',
        reason: '',
      });
    expect(await refusal(decide('2025-09-19T10:00:00Z'))).toEqual({
      status: status('rule-violated'),
      code: 'travel-document.decided-before-application',
    });
    await decide('2025-10-19T10:00:00Z');
    expect(await refusal(decide('2025-10-20T10:00:00Z'))).toEqual({
      status: status('rule-violated'),
      code: 'travel-document.already-decided',
    });
    expect(await harness.eventCount(personId)).toBe(3);
  });

  it('answers NOT_FOUND for a decision on an unknown application and for a person with nothing recorded', async () => {
    const decision = {
      metadata: metadata(),
      personId,
      applicationId: uuidv7(),
      decision: 'issued',
      decidedAt: '2025-10-20T10:00:00Z',
      validUntil: '',
      reason: '',
    };
    expect(await refusal(harness.client.decideTravelDocumentApplication(decision))).toEqual({
      status: status('not-found'),
      code: 'travel-document.application-not-found',
    });
    expect(await refusal(harness.client.getDocuments({ personId: uuidv7() }))).toEqual({
      status: status('not-found'),
      code: 'documents.not-found',
    });
  });

  it('answers INVALID_ARGUMENT for malformed input', async () => {
    const invalid = status('validation-failed');
    expect(await refusal(harness.client.recordPassportConfiscation({ metadata: metadata(), ...confiscation('not-a-uuid') }))).toEqual({
      status: invalid,
      code: 'person.id-invalid',
    });
    expect(
      await refusal(harness.client.recordPassportConfiscation({ metadata: metadata(), ...confiscation(uuidv7()), authority: 'police' })),
    ).toEqual({
      status: invalid,
      code: 'passport.authority-unknown',
    });
    expect(
      await refusal(harness.client.applyForTravelDocument({ metadata: metadata(), ...application(uuidv7()), documentType: 'passport' })),
    ).toEqual({
      status: invalid,
      code: 'travel-document.type-unknown',
    });
    expect(
      await refusal(
        harness.client.decideTravelDocumentApplication({
          metadata: metadata(),
          personId,
          applicationId: uuidv7(),
          decision: 'maybe',
          decidedAt: '2025-10-20T10:00:00Z',
          validUntil: '',
          reason: '',
        }),
      ),
    ).toEqual({ status: invalid, code: 'travel-document.decision-invalid' });
    expect(await refusal(harness.client.recordPassportConfiscation({ metadata: undefined, ...confiscation(uuidv7()) }))).toEqual({
      status: invalid,
      code: 'command.metadata-missing',
    });
    expect(await refusal(harness.client.listUndocumented({ status: 'documented', limit: 10, cursor: '' }))).toEqual({
      status: invalid,
      code: 'documents.status-filter-invalid',
    });
    expect(await refusal(harness.client.listUndocumented({ status: '', limit: 10, cursor: 'bm90LWFuLWlk' }))).toEqual({
      status: invalid,
      code: 'cursor.invalid',
    });
  });

  it('answers ABORTED for a stale If-Match, and OUT_OF_RANGE (not-yet-consistent) for a minVersion ahead', async () => {
    const other = uuidv7();
    await harness.confiscate(other);
    expect(
      await refusal(harness.client.issueTemporaryCertificate({ metadata: metadata({ expectedVersion: 0 }), ...a4Certificate(other) })),
    ).toEqual({
      status: status('version-conflict'),
      code: 'stream.version-conflict',
    });
    expect(
      await harness.client.issueTemporaryCertificate({ metadata: metadata({ expectedVersion: 1 }), ...a4Certificate(other) }),
    ).toMatchObject({ streamVersion: 2 });
    expect(await refusal(harness.client.getDocuments({ personId: other, minVersion: 3 }))).toEqual({
      status: status('not-yet-consistent'),
      code: 'documents.not-yet-consistent',
    });
    expect(await harness.client.getDocuments({ personId: other, minVersion: 2 })).toMatchObject({ streamVersion: 2 });
  });
});
