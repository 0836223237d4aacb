// The identity-documents context's enumerations, for validation and OpenAPI at the edge. They
// mirror libs/identity-documents-domain (which the gateway may not import); the service checks again.
export const authorities = ['kgb', 'ogim', 'prison-administration', 'border-guard', 'unknown'] as const;
export type Authority = (typeof authorities)[number];

export const travelDocumentTypes = ['aliens-passport', 'refugee-travel-document', 'humanitarian-visa', 'residence-permit'] as const;
export type TravelDocumentType = (typeof travelDocumentTypes)[number];
/** The travel documents that replace a passport (libs/documents-standing): the others do not make a person documented. */
export const passportReplacingTypes = ['aliens-passport', 'refugee-travel-document'] as const satisfies readonly TravelDocumentType[];

export const decisions = ['issued', 'refused'] as const;
export type Decision = (typeof decisions)[number];

export const documentsStatuses = ['documented', 'undocumented', 'at-risk-of-statelessness'] as const;
export const undocumentedStatuses = ['undocumented', 'at-risk-of-statelessness'] as const;
export const passportStates = ['held', 'confiscated', 'destroyed'] as const;
export const applicationDecisions = ['pending', 'issued', 'refused'] as const;
