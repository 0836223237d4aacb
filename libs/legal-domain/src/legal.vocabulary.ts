// The words legal records: instruments, forums, kinds of evidence, submission statuses and the
// practices a pattern is looked for. Plain strings on the wire (see proto/homeward/legal/v1).

export const instruments = {
  iccpr: 'ICCPR',
  statelessness1961: '1961 Convention on the Reduction of Statelessness',
  romeStatute: 'Rome Statute',
} as const;

/** How a provision is cited and filtered: "ICCPR 12(4)", or the instrument alone. */
export const citationOf = (instrument: string, provision: string) => (provision ? `${instrument} ${provision}` : instrument);

export const forums = ['un-human-rights-committee', 'un-wgad', 'un-special-rapporteur-belarus', 'icc-otp', 'osce'] as const;
export type Forum = (typeof forums)[number];

export const evidenceKinds = ['document', 'photo', 'video', 'audio', 'testimony', 'medical-report', 'court-record', 'media-report', 'other'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const submissionStatuses = ['drafted', 'filed', 'registered', 'communicated', 'decided', 'rejected'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

/**
 * Where a submission may go next. A forum registers a filed submission or rejects it; it may
 * communicate it to the state, and decides or rejects it in the end. decided and rejected are final.
 */
export const nextStatuses: Readonly<Record<SubmissionStatus, readonly SubmissionStatus[]>> = {
  drafted: ['filed'],
  filed: ['registered', 'rejected'],
  registered: ['communicated', 'decided', 'rejected'],
  communicated: ['decided', 'rejected'],
  decided: [],
  rejected: [],
};

export const practices = ['deportation-without-consent', 'passport-confiscation'] as const;
export type Practice = (typeof practices)[number];

export const violationStates = ['flagged', 'confirmed', 'dismissed'] as const;
export type ViolationState = (typeof violationStates)[number];

export const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);
