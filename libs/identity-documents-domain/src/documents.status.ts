// The status rule is shared with legal's statelessness flag: one rule, in one pure lib, so a person
// never drops off the undocumented list while legal flags them (see @homeward/documents-standing).
export {
  documentsStatus,
  documentsStatuses,
  passportReplacingTypes,
  type ApplicationDecision,
  type DocumentsStatus,
  type PassportState,
  type Standing,
} from '@homeward/documents-standing';
