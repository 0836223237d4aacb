import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import type { LegalCaseCommand } from './legal-case.commands.js';
import type { LegalCaseEvent } from './legal-case.events.js';
import { caseIdOf } from './ids.js';
import {
  evidenceKinds,
  forums,
  initialSubmissionStatuses,
  isOneOf,
  nextStatuses,
  reasoningLength,
  submissionStatuses,
  type SubmissionStatus,
  type ViolationState,
} from './legal.vocabulary.js';

export interface LegalCaseState {
  /** null until LegalCaseOpened. */
  caseId: string | null;
  violations: Readonly<Record<string, ViolationState>>;
  evidence: Readonly<Record<string, string>>; // evidenceId -> sha256
  submissions: Readonly<Record<string, SubmissionStatus>>;
}

export const initialLegalCaseState = (): LegalCaseState => ({ caseId: null, violations: {}, evidence: {}, submissions: {} });

const sha256Hex = /^[0-9a-f]{64}$/;
const ruleActor = /^rule:\S+$/;
const advisorActor = /^advisor:\S+$/;

const invalid = (code: string, message: string) => new DomainError('validation-failed', code, message);

function evolve(state: LegalCaseState, event: LegalCaseEvent): LegalCaseState {
  switch (event.type) {
    case 'LegalCaseOpened':
      return { ...state, caseId: event.data.caseId };
    case 'ViolationFlagged':
      return { ...state, violations: { ...state.violations, [event.data.violationId]: 'flagged' } };
    case 'ViolationConfirmed':
      return { ...state, violations: { ...state.violations, [event.data.violationId]: 'confirmed' } };
    case 'ViolationDismissed':
      return { ...state, violations: { ...state.violations, [event.data.violationId]: 'dismissed' } };
    case 'EvidenceAttached':
      return { ...state, evidence: { ...state.evidence, [event.data.evidenceId]: event.data.sha256 } };
    case 'SubmissionFiled':
      return { ...state, submissions: { ...state.submissions, [event.data.submissionId]: event.data.status as SubmissionStatus } };
    case 'SubmissionStatusChanged':
      return { ...state, submissions: { ...state.submissions, [event.data.submissionId]: event.data.status as SubmissionStatus } };
    default:
      return assertNever(event);
  }
}

function requireOpen(state: LegalCaseState, caseId: string): void {
  if (state.caseId === null || state.caseId !== caseId) throw notFound('case.not-found', 'there is no legal case with this id');
}

function requireViolation(state: LegalCaseState, violationId: string): ViolationState {
  const found = state.violations[violationId];
  if (!found) throw notFound('violation.not-found', 'the case has no violation with this id');
  return found;
}

/** Confirming and dismissing: by an advisor, with reasoning, only on a flagged violation, once. */
function decideOn(state: LegalCaseState, data: { caseId: string; violationId: string; reasoning: string }, by: string): void {
  requireOpen(state, data.caseId);
  const current = requireViolation(state, data.violationId);
  if (!advisorActor.test(by)) throw ruleViolated('violation.advisor-required', 'only an advisor confirms or dismisses a violation');
  const reasoning = data.reasoning.trim().length;
  if (reasoning < reasoningLength.min || reasoning > reasoningLength.max) {
    throw invalid('violation.reasoning-required', `reasoning of ${reasoningLength.min} to ${reasoningLength.max} characters is required`);
  }
  if (current === 'confirmed') throw ruleViolated('violation.already-confirmed', 'this violation is already confirmed');
  if (current === 'dismissed') throw ruleViolated('violation.already-dismissed', 'this violation is already dismissed');
}

function decide(command: LegalCaseCommand, state: LegalCaseState): LegalCaseEvent[] {
  switch (command.type) {
    case 'OpenCase': {
      const { caseId, personId } = command.data;
      if (caseId !== caseIdOf(personId)) throw ruleViolated('case.id-mismatch', "a case id is derived from the person's id");
      // Every relevant event about the person asks; the first one opens the case.
      if (state.caseId !== null) return [];
      return [{ type: 'LegalCaseOpened', data: command.data }];
    }
    case 'FlagViolation': {
      const { data } = command;
      requireOpen(state, data.caseId);
      // Rule flags carry ids derived from what they rest on: a replay asks again, and is answered by silence.
      if (state.violations[data.violationId]) return [];
      if (!data.instrument.trim()) throw invalid('violation.instrument-required', 'a flag names the instrument');
      const byRule = ruleActor.test(data.flaggedBy);
      if (!byRule && !advisorActor.test(data.flaggedBy))
        throw invalid('violation.flagged-by-invalid', 'a flag is raised by rule:<name> or advisor:<subject>');
      if (byRule && data.restsOn.length === 0) throw ruleViolated('violation.rests-on-nothing', 'a rule flags only on recorded events');
      // An advisor may flag an instrument as a whole; a rule always names the provision it engages.
      if (byRule && !data.provision.trim()) throw invalid('violation.provision-required', 'a rule names the provision it flags');
      return [{ type: 'ViolationFlagged', data }];
    }
    case 'ConfirmViolation':
      decideOn(state, command.data, command.data.confirmedBy);
      return [{ type: 'ViolationConfirmed', data: command.data }];
    case 'DismissViolation':
      decideOn(state, command.data, command.data.dismissedBy);
      return [{ type: 'ViolationDismissed', data: command.data }];
    case 'AttachEvidence': {
      const { data } = command;
      requireOpen(state, data.caseId);
      if (state.evidence[data.evidenceId]) return [];
      if (!sha256Hex.test(data.sha256)) throw invalid('evidence.sha256-invalid', 'sha256 must be 64 lower-case hex characters');
      if (!isOneOf(evidenceKinds, data.kind)) throw invalid('evidence.kind-unknown', `kind must be one of ${evidenceKinds.join(', ')}`);
      if (Object.values(state.evidence).includes(data.sha256))
        throw ruleViolated('evidence.already-attached', 'this file is already attached to the case');
      for (const violationId of data.violationIds) requireViolation(state, violationId);
      return [{ type: 'EvidenceAttached', data }];
    }
    case 'FileSubmission': {
      const { data } = command;
      requireOpen(state, data.caseId);
      if (state.submissions[data.submissionId]) return [];
      if (!isOneOf(forums, data.forum)) throw invalid('submission.forum-unknown', `forum must be one of ${forums.join(', ')}`);
      if (!isOneOf(initialSubmissionStatuses, data.status))
        throw invalid('submission.initial-status-invalid', 'a submission starts drafted or filed');
      if (data.violationIds.length === 0)
        throw ruleViolated('submission.no-violation', 'a submission is about at least one confirmed violation');
      for (const violationId of data.violationIds) {
        if (requireViolation(state, violationId) !== 'confirmed') {
          throw ruleViolated('submission.violation-not-confirmed', 'only violations an advisor confirmed go into a submission');
        }
      }
      return [{ type: 'SubmissionFiled', data }];
    }
    case 'ChangeSubmissionStatus': {
      const { data } = command;
      requireOpen(state, data.caseId);
      const current = state.submissions[data.submissionId];
      if (!current) throw notFound('submission.not-found', 'the case has no submission with this id');
      if (!isOneOf(submissionStatuses, data.status))
        throw invalid('submission.status-unknown', `status must be one of ${submissionStatuses.join(', ')}`);
      if (!nextStatuses[current].includes(data.status)) {
        throw ruleViolated('submission.transition-not-allowed', `a ${current} submission cannot become ${data.status}`);
      }
      return [{ type: 'SubmissionStatusChanged', data: { ...data, previousStatus: current } }];
    }
    default:
      return assertNever(command);
  }
}

export const legalCaseDecider: Decider<LegalCaseCommand, LegalCaseEvent, LegalCaseState> = {
  decide,
  evolve,
  initialState: initialLegalCaseState,
};
