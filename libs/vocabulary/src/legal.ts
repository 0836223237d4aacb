// The legal context's words: forums, kinds of evidence, submission statuses, violation states and
// the practices a pattern is looked for. Plain strings on the wire (see proto/homeward/legal/v1).

export const forums = ['un-human-rights-committee', 'un-wgad', 'un-special-rapporteur-belarus', 'icc-otp', 'osce'] as const;
export type Forum = (typeof forums)[number];

export const evidenceKinds = [
  'document',
  'photo',
  'video',
  'audio',
  'testimony',
  'medical-report',
  'court-record',
  'media-report',
  'other',
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const submissionStatuses = ['drafted', 'filed', 'registered', 'communicated', 'decided', 'rejected'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];
/** A submission starts drafted, or filed when it was already sent. */
export const initialSubmissionStatuses = ['drafted', 'filed'] as const satisfies readonly SubmissionStatus[];

export const violationStates = ['flagged', 'confirmed', 'dismissed'] as const;
export type ViolationState = (typeof violationStates)[number];

export const practices = ['deportation-without-consent', 'passport-confiscation'] as const;
export type Practice = (typeof practices)[number];

/** How long an advisor's reasoning for confirming or dismissing a flag may be, in characters. */
export const reasoningLength = { min: 10, max: 5000 } as const;
