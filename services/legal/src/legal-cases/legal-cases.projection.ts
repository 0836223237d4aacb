// A person's legal case as advisors read it: flags and what became of them, the provisions at
// stake, evidence and submissions. Built inline from legal's own events (read-your-writes); the
// deportation facts come from the person_facts read model when the case is read.
import type { legal } from '@homeward/contracts';
import { assertNever } from '@homeward/decider';
import type { DocumentProjection } from '@homeward/eventsourcing';
import { citationOf, legalCaseEventTypes, type LegalCaseEvent } from '@homeward/legal-domain';
import type { EventEnvelope } from '@homeward/messaging';

export type LegalCaseDocument = Omit<legal.LegalCase, 'deportation'>;

/** The citations at stake: every violation flagged or confirmed, none dismissed. */
const provisionsOf = (violations: legal.Violation[]) =>
  [...new Set(violations.filter((v) => v.state !== 'dismissed').map((v) => v.citation))].sort();

function withViolations(doc: LegalCaseDocument, violations: legal.Violation[]): LegalCaseDocument {
  return { ...doc, violations, provisions: provisionsOf(violations) };
}

function apply(doc: LegalCaseDocument | null, event: LegalCaseEvent, recordedAt: string): LegalCaseDocument | null {
  if (event.type === 'LegalCaseOpened') {
    return (
      doc ?? {
        caseId: event.data.caseId,
        personId: event.data.personId,
        openedAt: event.data.openedAt,
        updatedAt: recordedAt,
        streamVersion: 0,
        violations: [],
        provisions: [],
        evidence: [],
        submissions: [],
      }
    );
  }
  if (doc === null) return null; // a case exists from its first event on
  switch (event.type) {
    case 'ViolationFlagged': {
      const { violationId, instrument, provision, restsOn, flaggedBy, flaggedAt, summary } = event.data;
      const flagged: legal.Violation = {
        violationId,
        instrument,
        provision,
        citation: citationOf(instrument, provision),
        state: 'flagged',
        restsOn,
        flaggedBy,
        flaggedAt,
        summary,
        decidedBy: '',
        decidedAt: '',
        reasoning: '',
      };
      return withViolations(doc, [...doc.violations, flagged]);
    }
    case 'ViolationConfirmed':
    case 'ViolationDismissed': {
      const decision =
        event.type === 'ViolationConfirmed'
          ? { state: 'confirmed', decidedBy: event.data.confirmedBy, decidedAt: event.data.confirmedAt, reasoning: event.data.reasoning }
          : { state: 'dismissed', decidedBy: event.data.dismissedBy, decidedAt: event.data.dismissedAt, reasoning: event.data.reasoning };
      return withViolations(
        doc,
        doc.violations.map((violation) => (violation.violationId === event.data.violationId ? { ...violation, ...decision } : violation)),
      );
    }
    case 'EvidenceAttached': {
      const { caseId: _caseId, ...evidence } = event.data;
      return { ...doc, evidence: [...doc.evidence, evidence] };
    }
    case 'SubmissionFiled': {
      const { submissionId, forum, violationIds, status, reference, filedBy, filedAt } = event.data;
      const submission: legal.Submission = {
        submissionId,
        forum,
        violationIds,
        status,
        reference,
        filedBy,
        filedAt,
        updatedAt: filedAt,
        history: [{ status, changedBy: filedBy, changedAt: filedAt, note: '' }],
      };
      return { ...doc, submissions: [...doc.submissions, submission] };
    }
    case 'SubmissionStatusChanged': {
      const { submissionId, status, reference, note, changedBy, changedAt } = event.data;
      return {
        ...doc,
        submissions: doc.submissions.map((submission) =>
          submission.submissionId === submissionId
            ? {
                ...submission,
                status,
                reference: reference || submission.reference,
                updatedAt: changedAt,
                history: [...submission.history, { status, changedBy, changedAt, note }],
              }
            : submission,
        ),
      };
    }
    default:
      return assertNever(event);
  }
}

export const legalCases: DocumentProjection<LegalCaseDocument> = {
  name: 'legal_cases',
  handles: legalCaseEventTypes,
  idOf: (envelope) => (envelope.data as { caseId?: string }).caseId ?? null,
  evolve(doc, envelope: EventEnvelope) {
    const next = apply(doc, envelope as unknown as LegalCaseEvent, envelope.recordedAt);
    return next && { ...next, streamVersion: envelope.streamVersion, updatedAt: envelope.recordedAt };
  },
};
