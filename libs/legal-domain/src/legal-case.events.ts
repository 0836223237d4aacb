// Legal's events about one person's case. Their data are the versioned contracts from proto/, so
// what is stored, hashed and published is exactly what the contract says.
import type { legalEvents } from '@homeward/contracts';

export type LegalCaseOpened = { type: 'LegalCaseOpened'; data: legalEvents.LegalCaseOpened };
export type ViolationFlagged = { type: 'ViolationFlagged'; data: legalEvents.ViolationFlagged };
export type ViolationConfirmed = { type: 'ViolationConfirmed'; data: legalEvents.ViolationConfirmed };
export type ViolationDismissed = { type: 'ViolationDismissed'; data: legalEvents.ViolationDismissed };
export type EvidenceAttached = { type: 'EvidenceAttached'; data: legalEvents.EvidenceAttached };
export type SubmissionFiled = { type: 'SubmissionFiled'; data: legalEvents.SubmissionFiled };
export type SubmissionStatusChanged = { type: 'SubmissionStatusChanged'; data: legalEvents.SubmissionStatusChanged };

export type LegalCaseEvent =
  | LegalCaseOpened
  | ViolationFlagged
  | ViolationConfirmed
  | ViolationDismissed
  | EvidenceAttached
  | SubmissionFiled
  | SubmissionStatusChanged;
export type LegalCaseEventType = LegalCaseEvent['type'];

export const legalCaseEventTypes = [
  'LegalCaseOpened',
  'ViolationFlagged',
  'ViolationConfirmed',
  'ViolationDismissed',
  'EvidenceAttached',
  'SubmissionFiled',
  'SubmissionStatusChanged',
] as const satisfies readonly LegalCaseEventType[];
