import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { LegalCaseCommand } from './legal-case.commands.js';
import { legalCaseDecider } from './legal-case.decider.js';
import type { LegalCaseEvent } from './legal-case.events.js';
import { caseIdOf } from './ids.js';

const given = specFor(legalCaseDecider);
const personId = '0190a000-0000-7000-8000-000000000101';
const caseId = caseIdOf(personId);
const violationId = '0190a000-0000-7000-8000-00000000a001';
const otherViolationId = '0190a000-0000-7000-8000-00000000a002';
const sha256 = 'a'.repeat(64);
const reasoning = 'Confiscation and forced removal are documented by two independent sources.';

type DataOf<T extends LegalCaseCommand['type']> = Extract<LegalCaseCommand, { type: T }>['data'];

const openData: DataOf<'OpenCase'> = { caseId, personId, openedAt: '2025-09-12T08:00:00.000Z', firstEventId: 'e-deported' };
const flagData: DataOf<'FlagViolation'> = {
  caseId,
  violationId,
  instrument: 'ICCPR',
  provision: '12(4)',
  restsOn: ['e-confiscated', 'e-deported'],
  flaggedBy: 'rule:passport-taken-and-deported',
  flaggedAt: '2025-09-12T08:00:00.000Z',
  summary: 'Passport taken and deported without consent.',
};
const confirmData: DataOf<'ConfirmViolation'> = {
  caseId,
  violationId,
  confirmedBy: 'advisor:lawyer-1',
  confirmedAt: '2025-09-13T08:00:00.000Z',
  reasoning,
};
const dismissData: DataOf<'DismissViolation'> = {
  caseId,
  violationId,
  dismissedBy: 'advisor:lawyer-1',
  dismissedAt: '2025-09-13T08:00:00.000Z',
  reasoning,
};
const evidenceData: DataOf<'AttachEvidence'> = {
  caseId,
  evidenceId: '0190a000-0000-7000-8000-00000000e001',
  kind: 'document',
  source: 'family',
  sha256,
  description: 'Photograph of the OGiM certificate',
  violationIds: [],
  attachedBy: 'advisor:lawyer-1',
  attachedAt: '2025-09-13T09:00:00.000Z',
};
const submissionId = '0190a000-0000-7000-8000-00000000f001';
const submissionData: DataOf<'FileSubmission'> = {
  caseId,
  submissionId,
  forum: 'un-human-rights-committee',
  violationIds: [violationId],
  status: 'drafted',
  reference: '',
  filedBy: 'advisor:lawyer-1',
  filedAt: '2025-09-14T09:00:00.000Z',
};
const statusData = (status: string): DataOf<'ChangeSubmissionStatus'> => ({
  caseId,
  submissionId,
  status,
  reference: '',
  note: '',
  changedBy: 'advisor:lawyer-1',
  changedAt: '2025-09-20T09:00:00.000Z',
});

const open: LegalCaseCommand = { type: 'OpenCase', data: openData };
const flag = (overrides: Partial<DataOf<'FlagViolation'>> = {}): LegalCaseCommand => ({
  type: 'FlagViolation',
  data: { ...flagData, ...overrides },
});
const confirm = (overrides: Partial<DataOf<'ConfirmViolation'>> = {}): LegalCaseCommand => ({
  type: 'ConfirmViolation',
  data: { ...confirmData, ...overrides },
});
const dismiss = (overrides: Partial<DataOf<'DismissViolation'>> = {}): LegalCaseCommand => ({
  type: 'DismissViolation',
  data: { ...dismissData, ...overrides },
});
const attach = (overrides: Partial<DataOf<'AttachEvidence'>> = {}): LegalCaseCommand => ({
  type: 'AttachEvidence',
  data: { ...evidenceData, ...overrides },
});
const file = (overrides: Partial<DataOf<'FileSubmission'>> = {}): LegalCaseCommand => ({
  type: 'FileSubmission',
  data: { ...submissionData, ...overrides },
});
const changeStatus = (status: string): LegalCaseCommand => ({ type: 'ChangeSubmissionStatus', data: statusData(status) });

const opened: LegalCaseEvent = { type: 'LegalCaseOpened', data: openData };
const flaggedWith = (overrides: Partial<DataOf<'FlagViolation'>> = {}): LegalCaseEvent => ({
  type: 'ViolationFlagged',
  data: { ...flagData, ...overrides },
});
const flagged = flaggedWith();
const confirmed: LegalCaseEvent = { type: 'ViolationConfirmed', data: confirmData };
const dismissed: LegalCaseEvent = { type: 'ViolationDismissed', data: dismissData };
const evidenceWith = (overrides: Partial<DataOf<'AttachEvidence'>> = {}): LegalCaseEvent => ({
  type: 'EvidenceAttached',
  data: { ...evidenceData, ...overrides },
});
const evidence = evidenceWith();
const filedWith = (overrides: Partial<DataOf<'FileSubmission'>> = {}): LegalCaseEvent => ({
  type: 'SubmissionFiled',
  data: { ...submissionData, ...overrides },
});
const filed = filedWith();
const statusChange = (status: string, previousStatus: string): LegalCaseEvent => ({
  type: 'SubmissionStatusChanged',
  data: { ...statusData(status), previousStatus },
});

describe('legal case decider', () => {
  describe('given no case', () => {
    it('opens the case', () => given().when(open).then(opened));
    it("refuses a case id not derived from the person's id", () =>
      given()
        .when({ type: 'OpenCase', data: { ...openData, caseId: '0190a000-0000-7000-8000-000000000999' } })
        .thenThrows('case.id-mismatch'));
    it('refuses a flag', () => given().when(flag()).thenThrows('case.not-found'));
    it('refuses a confirmation', () => given().when(confirm()).thenThrows('case.not-found'));
    it('refuses a dismissal', () => given().when(dismiss()).thenThrows('case.not-found'));
    it('refuses evidence', () => given().when(attach()).thenThrows('case.not-found'));
    it('refuses a submission', () => given().when(file()).thenThrows('case.not-found'));
    it('refuses a status change', () => given().when(changeStatus('filed')).thenThrows('case.not-found'));
  });

  describe('given an open case', () => {
    it('opens nothing a second time', () => given(opened).when(open).thenNothingHappens());
    it('refuses a command for another case id', () =>
      given(opened)
        .when(flag({ caseId: caseIdOf('0190a000-0000-7000-8000-000000000102') }))
        .thenThrows('case.not-found'));
    it('flags a violation for a rule', () => given(opened).when(flag()).then(flagged));
    it('flags a violation for an advisor, even resting on no event', () =>
      given(opened)
        .when(flag({ flaggedBy: 'advisor:lawyer-1', restsOn: [] }))
        .then(flaggedWith({ flaggedBy: 'advisor:lawyer-1', restsOn: [] })));
    it('refuses a rule flag resting on no event', () =>
      given(opened)
        .when(flag({ restsOn: [] }))
        .thenThrows('violation.rests-on-nothing'));
    it('refuses a rule flag without a provision', () =>
      given(opened)
        .when(flag({ provision: ' ' }))
        .thenThrows('violation.provision-required'));
    it('records an advisor flag on an instrument as a whole', () =>
      given(opened)
        .when(flag({ provision: '', flaggedBy: 'advisor:lawyer-1', restsOn: [] }))
        .then(flaggedWith({ provision: '', flaggedBy: 'advisor:lawyer-1', restsOn: [] })));
    it('refuses a flag by anyone else', () =>
      given(opened)
        .when(flag({ flaggedBy: 'lawyer-1' }))
        .thenThrows('violation.flagged-by-invalid'));
    it('refuses a flag without an instrument', () =>
      given(opened)
        .when(flag({ instrument: ' ' }))
        .thenThrows('violation.instrument-required'));
    it('refuses to confirm an unknown violation', () => given(opened).when(confirm()).thenThrows('violation.not-found'));
    it('refuses to dismiss an unknown violation', () => given(opened).when(dismiss()).thenThrows('violation.not-found'));
    it('attaches evidence', () => given(opened).when(attach()).then(evidence));
    it('refuses a malformed sha256', () =>
      given(opened)
        .when(attach({ sha256: 'A'.repeat(64) }))
        .thenThrows('evidence.sha256-invalid'));
    it('refuses a short sha256', () =>
      given(opened)
        .when(attach({ sha256: 'a'.repeat(63) }))
        .thenThrows('evidence.sha256-invalid'));
    it('refuses an unknown kind of evidence', () =>
      given(opened)
        .when(attach({ kind: 'rumour' }))
        .thenThrows('evidence.kind-unknown'));
    it('refuses evidence for an unknown violation', () =>
      given(opened)
        .when(attach({ violationIds: [violationId] }))
        .thenThrows('violation.not-found'));
    it('refuses a submission about no violation', () =>
      given(opened)
        .when(file({ violationIds: [] }))
        .thenThrows('submission.no-violation'));
    it('refuses a submission about an unknown violation', () => given(opened).when(file()).thenThrows('violation.not-found'));
    it('refuses a status change of an unknown submission', () =>
      given(opened).when(changeStatus('filed')).thenThrows('submission.not-found'));
  });

  describe('given a flagged violation', () => {
    it('flags nothing twice for the same violation id', () => given(opened, flagged).when(flag()).thenNothingHappens());
    it('flags another violation', () =>
      given(opened, flagged)
        .when(flag({ violationId: otherViolationId, provision: '12(2)' }))
        .then(flaggedWith({ violationId: otherViolationId, provision: '12(2)' })));
    it('confirms it for an advisor with reasoning', () => given(opened, flagged).when(confirm()).then(confirmed));
    it('dismisses it for an advisor with reasoning', () => given(opened, flagged).when(dismiss()).then(dismissed));
    it('refuses a confirmation by a rule', () =>
      given(opened, flagged)
        .when(confirm({ confirmedBy: 'rule:return-refused' }))
        .thenThrows('violation.advisor-required'));
    it('refuses a dismissal by a rule', () =>
      given(opened, flagged)
        .when(dismiss({ dismissedBy: 'rule:return-refused' }))
        .thenThrows('violation.advisor-required'));
    it('refuses a confirmation without reasoning', () =>
      given(opened, flagged)
        .when(confirm({ reasoning: '   too short   ' }))
        .thenThrows('violation.reasoning-required'));
    it('refuses a dismissal with endless reasoning', () =>
      given(opened, flagged)
        .when(dismiss({ reasoning: 'x'.repeat(5001) }))
        .thenThrows('violation.reasoning-required'));
    it('attaches evidence supporting it', () =>
      given(opened, flagged)
        .when(attach({ violationIds: [violationId] }))
        .then(evidenceWith({ violationIds: [violationId] })));
    it('refuses a submission about a violation no advisor confirmed', () =>
      given(opened, flagged).when(file()).thenThrows('submission.violation-not-confirmed'));
  });

  describe('given a confirmed violation', () => {
    it('refuses to confirm it again', () => given(opened, flagged, confirmed).when(confirm()).thenThrows('violation.already-confirmed'));
    it('refuses to dismiss it', () => given(opened, flagged, confirmed).when(dismiss()).thenThrows('violation.already-confirmed'));
    it('files a submission about it', () => given(opened, flagged, confirmed).when(file()).then(filed));
    it('files a submission already sent', () =>
      given(opened, flagged, confirmed)
        .when(file({ status: 'filed', reference: 'CCPR/C/2025/1' }))
        .then(filedWith({ status: 'filed', reference: 'CCPR/C/2025/1' })));
    it('refuses a submission that starts anywhere else', () =>
      given(opened, flagged, confirmed)
        .when(file({ status: 'registered' }))
        .thenThrows('submission.initial-status-invalid'));
    it('refuses an unknown forum', () =>
      given(opened, flagged, confirmed)
        .when(file({ forum: 'un-general-assembly' }))
        .thenThrows('submission.forum-unknown'));
  });

  describe('given a dismissed violation', () => {
    it('refuses to dismiss it again', () => given(opened, flagged, dismissed).when(dismiss()).thenThrows('violation.already-dismissed'));
    it('refuses to confirm it', () => given(opened, flagged, dismissed).when(confirm()).thenThrows('violation.already-dismissed'));
    it('flags nothing twice even after the dismissal', () => given(opened, flagged, dismissed).when(flag()).thenNothingHappens());
    it('refuses a submission about it', () =>
      given(opened, flagged, dismissed).when(file()).thenThrows('submission.violation-not-confirmed'));
  });

  describe('given attached evidence', () => {
    it('attaches nothing twice for the same evidence id', () => given(opened, evidence).when(attach()).thenNothingHappens());
    it('refuses the same file under another id', () =>
      given(opened, evidence)
        .when(attach({ evidenceId: '0190a000-0000-7000-8000-00000000e002' }))
        .thenThrows('evidence.already-attached'));
    it('attaches another file', () =>
      given(opened, evidence)
        .when(attach({ evidenceId: '0190a000-0000-7000-8000-00000000e002', sha256: 'b'.repeat(64) }))
        .then(evidenceWith({ evidenceId: '0190a000-0000-7000-8000-00000000e002', sha256: 'b'.repeat(64) })));
  });

  describe('given a drafted submission', () => {
    const history = [opened, flagged, confirmed, filed];
    it('files nothing twice for the same submission id', () =>
      given(...history)
        .when(file())
        .thenNothingHappens());
    it('moves it to filed', () =>
      given(...history)
        .when(changeStatus('filed'))
        .then(statusChange('filed', 'drafted')));
    it('refuses to skip to registered', () =>
      given(...history)
        .when(changeStatus('registered'))
        .thenThrows('submission.transition-not-allowed'));
    it('refuses to leave it drafted', () =>
      given(...history)
        .when(changeStatus('drafted'))
        .thenThrows('submission.transition-not-allowed'));
    it('refuses an unknown status', () =>
      given(...history)
        .when(changeStatus('lost'))
        .thenThrows('submission.status-unknown'));
  });

  describe('given a filed submission', () => {
    const history = [opened, flagged, confirmed, filed, statusChange('filed', 'drafted')];
    it('moves it to registered', () =>
      given(...history)
        .when(changeStatus('registered'))
        .then(statusChange('registered', 'filed')));
    it('moves it to rejected', () =>
      given(...history)
        .when(changeStatus('rejected'))
        .then(statusChange('rejected', 'filed')));
    it('refuses to decide it before it is registered', () =>
      given(...history)
        .when(changeStatus('decided'))
        .thenThrows('submission.transition-not-allowed'));
    it('refuses to draft it again', () =>
      given(...history)
        .when(changeStatus('drafted'))
        .thenThrows('submission.transition-not-allowed'));
  });

  describe('given a registered submission', () => {
    const history = [opened, flagged, confirmed, filed, statusChange('filed', 'drafted'), statusChange('registered', 'filed')];
    it('moves it to communicated', () =>
      given(...history)
        .when(changeStatus('communicated'))
        .then(statusChange('communicated', 'registered')));
    it('moves it to decided', () =>
      given(...history)
        .when(changeStatus('decided'))
        .then(statusChange('decided', 'registered')));
    it('moves it to rejected', () =>
      given(...history)
        .when(changeStatus('rejected'))
        .then(statusChange('rejected', 'registered')));
    it('refuses to file it again', () =>
      given(...history)
        .when(changeStatus('filed'))
        .thenThrows('submission.transition-not-allowed'));
  });

  describe('given a communicated submission', () => {
    const history = [
      opened,
      flagged,
      confirmed,
      filed,
      statusChange('filed', 'drafted'),
      statusChange('registered', 'filed'),
      statusChange('communicated', 'registered'),
    ];
    it('moves it to decided', () =>
      given(...history)
        .when(changeStatus('decided'))
        .then(statusChange('decided', 'communicated')));
    it('moves it to rejected', () =>
      given(...history)
        .when(changeStatus('rejected'))
        .then(statusChange('rejected', 'communicated')));
    it('refuses to register it again', () =>
      given(...history)
        .when(changeStatus('registered'))
        .thenThrows('submission.transition-not-allowed'));
  });

  describe('given a decided or rejected submission', () => {
    const registered = [opened, flagged, confirmed, filed, statusChange('filed', 'drafted'), statusChange('registered', 'filed')];
    it('moves a decided one nowhere', () =>
      given(...registered, statusChange('decided', 'registered'))
        .when(changeStatus('communicated'))
        .thenThrows('submission.transition-not-allowed'));
    it('moves a rejected one nowhere', () =>
      given(...registered, statusChange('rejected', 'registered'))
        .when(changeStatus('decided'))
        .thenThrows('submission.transition-not-allowed'));
  });
});
