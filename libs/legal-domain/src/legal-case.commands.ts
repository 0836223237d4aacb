import type { LegalCaseEvent } from './legal-case.events.js';

type DataOf<T extends LegalCaseEvent['type']> = Extract<LegalCaseEvent, { type: T }>['data'];

export type OpenCase = { type: 'OpenCase'; data: DataOf<'LegalCaseOpened'> };
export type FlagViolation = { type: 'FlagViolation'; data: DataOf<'ViolationFlagged'> };
export type ConfirmViolation = { type: 'ConfirmViolation'; data: DataOf<'ViolationConfirmed'> };
export type DismissViolation = { type: 'DismissViolation'; data: DataOf<'ViolationDismissed'> };
export type AttachEvidence = { type: 'AttachEvidence'; data: DataOf<'EvidenceAttached'> };
export type FileSubmission = { type: 'FileSubmission'; data: DataOf<'SubmissionFiled'> };
/** The decider knows the status it moves from. */
export type ChangeSubmissionStatus = { type: 'ChangeSubmissionStatus'; data: Omit<DataOf<'SubmissionStatusChanged'>, 'previousStatus'> };

export type LegalCaseCommand =
  OpenCase | FlagViolation | ConfirmViolation | DismissViolation | AttachEvidence | FileSubmission | ChangeSubmissionStatus;
