// The words legal records: the instruments its rules cite and where a submission may go next. The
// forums, kinds of evidence, statuses and practices are the contract's (@homeward/vocabulary), which
// the gateway validates with too.
import type { SubmissionStatus } from '@homeward/vocabulary';

export {
  evidenceKinds,
  forums,
  initialSubmissionStatuses,
  practices,
  reasoningLength,
  submissionStatuses,
  violationStates,
  type EvidenceKind,
  type Forum,
  type Practice,
  type SubmissionStatus,
  type ViolationState,
} from '@homeward/vocabulary';

/**
 * The instruments legal's rules cite, each with where Belarus stands on it. A flag that rests on an
 * instrument Belarus never accepted says so in its summary: it is cited as the international
 * standard the facts may engage, not as an obligation of the state.
 */
export const instruments = {
  iccpr: {
    name: 'ICCPR',
    bindsBelarus: true,
    belarus:
      'Belarus is a party (ratified 12 November 1973). It acceded to the First Optional Protocol in 1992 and denounced it ' +
      '(notified 8 November 2022, in effect 8 February 2023): the Human Rights Committee no longer receives individual ' +
      'communications about later facts, though Belarus remains bound by the Covenant and reports under it.',
  },
  udhr: {
    name: 'Universal Declaration of Human Rights',
    bindsBelarus: false,
    belarus: 'A General Assembly declaration, not a treaty: nothing to ratify. Cited as the general standard (in part customary law).',
  },
  statelessness1961: {
    name: '1961 Convention on the Reduction of Statelessness',
    bindsBelarus: false,
    belarus: 'Belarus is not a party to it, nor to the 1954 Convention relating to the Status of Stateless Persons.',
  },
  romeStatute: {
    name: 'Rome Statute',
    bindsBelarus: false,
    belarus:
      'Belarus is not a party. The Court may still have jurisdiction over a deportation completed on the territory of a ' +
      'State Party (Lithuania is one), as its Pre-Trial Chamber held for Myanmar and Bangladesh in 2018.',
  },
} as const satisfies Record<string, { name: string; bindsBelarus: boolean; belarus: string }>;
export type InstrumentKey = keyof typeof instruments;

/** What a flag's summary adds when its instrument does not bind Belarus as a treaty it ratified. */
export const standingNote = (key: InstrumentKey) => (instruments[key].bindsBelarus ? '' : ` ${instruments[key].belarus}`);

/** How a provision is cited and filtered: "ICCPR 12(4)", or the instrument alone. */
export const citationOf = (instrument: string, provision: string) => (provision ? `${instrument} ${provision}` : instrument);

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

export const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);
