// The identity-documents context's words, as its contract carries them (plain strings on the wire,
// see proto/homeward/identity_documents/v1).

/** The events on a person's documents stream, by their CloudEvents type. */
export const documentsEventTypes = [
  'PassportConfiscated',
  'PassportDestroyed',
  'TemporaryCertificateIssued',
  'TravelDocumentApplied',
  'TravelDocumentIssued',
  'TravelDocumentRefused',
] as const;

/** Who took or destroyed a passport. */
export const authorities = ['kgb', 'ogim', 'prison-administration', 'border-guard', 'unknown'] as const;
export type Authority = (typeof authorities)[number];

/** What a person may apply for abroad to replace the passport they lost. */
export const travelDocumentTypes = ['aliens-passport', 'refugee-travel-document', 'humanitarian-visa', 'residence-permit'] as const;
export type TravelDocumentType = (typeof travelDocumentTypes)[number];

/**
 * Travel documents that replace a passport: they prove who the person is and let them travel. A
 * humanitarian visa or a residence permit lets a person stay where they are, but replaces no
 * passport, so it does not make them documented (libs/documents-standing applies the rule).
 */
export const passportReplacingTypes = ['aliens-passport', 'refugee-travel-document'] as const satisfies readonly TravelDocumentType[];

/** What a state decides on an application, and where an application stands. */
export const decisions = ['issued', 'refused'] as const;
export type Decision = (typeof decisions)[number];
export const applicationDecisions = ['pending', ...decisions] as const;
export type ApplicationDecision = (typeof applicationDecisions)[number];

export const passportStates = ['held', 'confiscated', 'destroyed'] as const;
export type PassportState = (typeof passportStates)[number];

/** A person's standing in papers; the undocumented list holds the last two. */
export const documentsStatuses = ['documented', 'undocumented', 'at-risk-of-statelessness'] as const;
export type DocumentsStatus = (typeof documentsStatuses)[number];
export const undocumentedStatuses = ['undocumented', 'at-risk-of-statelessness'] as const satisfies readonly DocumentsStatus[];
