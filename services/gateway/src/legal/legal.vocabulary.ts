// The legal context's enumerations, for validation and OpenAPI at the edge. They mirror
// libs/legal-domain (which the gateway may not import); the service checks again.
export const forums = ['un-human-rights-committee', 'un-wgad', 'un-special-rapporteur-belarus', 'icc-otp', 'osce'] as const;
export const evidenceKinds = ['document', 'photo', 'video', 'audio', 'testimony', 'medical-report', 'court-record', 'media-report', 'other'] as const;
export const submissionStatuses = ['drafted', 'filed', 'registered', 'communicated', 'decided', 'rejected'] as const;
export const initialSubmissionStatuses = ['drafted', 'filed'] as const;
export const violationStates = ['flagged', 'confirmed', 'dismissed'] as const;
export const practices = ['deportation-without-consent', 'passport-confiscation'] as const;

/** A citation as legal records it: "ICCPR 12(4)", "Rome Statute 7(1)(d)", an instrument's name. */
export const citationPattern = /^[A-Za-z0-9 .,()'/_:-]+$/;
export const citationMessage = '$property may hold only letters, digits, spaces and . , ( ) \' / _ : -';

/** Release batch ids, as intake accepts them. */
export const batchIdPattern = /^[A-Za-z0-9._-]+$/;
