// Legal's rules: given what was known about a person and what just happened, which commands to
// send to the person's case. Rules only flag; an advisor confirms or dismisses. A rule fires when
// its conditions first hold for a fact; its flag's id is derived from the rule, the provision and
// the events it rests on, so a replayed or redelivered event can only ask for a flag the case
// already has. Each flag names its instrument and provision, and its summary says why the facts
// may engage it and, for an instrument Belarus never ratified, that it binds Belarus as no treaty.
import { documentsStatus } from '@homeward/documents-standing';
import type { FlagViolation, LegalCaseCommand } from '../legal-case.commands.js';
import { violationIdOf } from '../ids.js';
import { citationOf, instruments, standingNote, type InstrumentKey, type Practice } from '../legal.vocabulary.js';
import type { ObservedEvent } from './observed.events.js';
import { evolveFacts, upgradeFacts, type FactsBeforeEpisodes, type PersonFacts, type ReleaseFact } from './person-facts.js';

export const ruleNames = {
  passportTakenAndDeported: 'passport-taken-and-deported',
  statelessnessRisk: 'statelessness-risk',
  returnRefused: 'return-refused',
  batchPattern: 'batch-pattern',
  periodPattern: 'period-pattern',
} as const;

/** A practice as it affected a person in one custody episode, named by that episode's release. */
export interface PracticeOccurrence {
  practice: Practice;
  release: ReleaseFact;
}

export interface RuleOutcome {
  /** The facts after the event, to store. */
  facts: PersonFacts;
  /** For the person's case, in order (the case is opened first). */
  commands: LegalCaseCommand[];
  /** Practices that now hold for this person in an episode and did not before, for the pattern tallies. */
  practicesBegun: PracticeOccurrence[];
}

/**
 * The same rule as identity-documents' status, on the same standing: legal flags a statelessness
 * risk exactly when the person's documents status is at-risk-of-statelessness.
 */
export const atRiskOfStatelessness = (facts: PersonFacts | null) =>
  facts !== null && documentsStatus(facts.standing) === 'at-risk-of-statelessness';

/** Each deportation without consent is a fact of its own once the passport is gone (it never comes back). */
const deportedWithPassportTaken = (facts: PersonFacts | null) =>
  facts?.passportTaken ? facts.deportations.filter((d) => !d.consented).map((d) => d.eventId) : [];

const occurrenceKey = (occurrence: PracticeOccurrence) => `${occurrence.practice}|${occurrence.release.eventId}`;

export function practicesOf(facts: PersonFacts | null): PracticeOccurrence[] {
  if (!facts) return [];
  const found: PracticeOccurrence[] = [];
  const releaseOf = (eventId: string) => facts.releases.find((release) => release.eventId === eventId);
  for (const deportation of facts.deportations) {
    const release = releaseOf(deportation.releaseEventId);
    if (!deportation.consented && release) found.push({ practice: 'deportation-without-consent', release });
  }
  // A passport is taken once (nothing gives it back): it is counted with the person's first release.
  const firstRelease = facts.releases[0];
  if (facts.passportTaken && firstRelease) found.push({ practice: 'passport-confiscation', release: firstRelease });
  return found.filter((occurrence, index) => found.findIndex((other) => occurrenceKey(other) === occurrenceKey(occurrence)) === index);
}

interface Flag {
  rule: string;
  instrument: InstrumentKey;
  provision: string;
  restsOn: string[];
  summary: string;
}

function flag(facts: PersonFacts, { rule, instrument, provision, restsOn, summary }: Flag, now: string): FlagViolation {
  const { name } = instruments[instrument];
  return {
    type: 'FlagViolation',
    data: {
      caseId: facts.caseId,
      violationId: violationIdOf(rule, citationOf(name, provision), restsOn),
      instrument: name,
      provision,
      restsOn,
      flaggedBy: `rule:${rule}`,
      flaggedAt: now,
      summary: `${summary}${standingNote(instrument)}`,
    },
  };
}

const ownCountryCaveat = (facts: PersonFacts) =>
  facts.foreignNational ? ' The person is a foreign national: check whether Belarus is their own country.' : '';

function deportationFlags(facts: PersonFacts, deportationId: string): Flag[] {
  const restsOn = [facts.passportTaken, deportationId];
  const rule = ruleNames.passportTakenAndDeported;
  return [
    {
      rule,
      instrument: 'iccpr',
      provision: '12(4)',
      restsOn,
      summary: `Passport taken and deported without consent: arbitrarily kept from entering their own country.${ownCountryCaveat(facts)}`,
    },
    {
      rule,
      instrument: 'iccpr',
      provision: '12(2)',
      restsOn,
      summary: 'Passport taken and deported without consent: not free to leave, or to choose where to go.',
    },
  ];
}

function statelessnessFlags(facts: PersonFacts): Flag[] {
  const byCertificate = facts.standing.certificates.length > 0;
  const restsOn = [facts.passportTaken, byCertificate ? facts.nonValidCertificate : facts.latestRefusal];
  const why = byCertificate
    ? 'Passport taken and only a certificate that is not a valid identity document left'
    : "Passport taken and every application for an alien's passport or refugee travel document refused";
  const rule = ruleNames.statelessnessRisk;
  return [
    {
      rule,
      instrument: 'statelessness1961',
      provision: '8(1)',
      restsOn,
      summary:
        `${why}: the person cannot prove their nationality and is at risk of statelessness. Art. 8(1) bars a deprivation of ` +
        'nationality that renders a person stateless; Art. 9 bars one on political grounds.',
    },
    {
      rule,
      instrument: 'udhr',
      provision: '15(2)',
      restsOn,
      summary: `${why}: no one shall be arbitrarily deprived of their nationality.`,
    },
  ];
}

export function reactTo(before: PersonFacts | FactsBeforeEpisodes | null, event: ObservedEvent, now: string): RuleOutcome {
  const after = evolveFacts(before, event);
  const known = before && upgradeFacts(before);
  const flags: Flag[] = [];

  const flaggedBefore = deportedWithPassportTaken(known);
  for (const deportationId of deportedWithPassportTaken(after)) {
    if (!flaggedBefore.includes(deportationId)) flags.push(...deportationFlags(after, deportationId));
  }
  if (!atRiskOfStatelessness(known) && atRiskOfStatelessness(after)) flags.push(...statelessnessFlags(after));
  if (event.type === 'ReturnAttempted' && event.data.outcome === 'refused') {
    flags.push({
      rule: ruleNames.returnRefused,
      instrument: 'iccpr',
      provision: '12(4)',
      restsOn: [event.eventId],
      summary: `Refused at the border when trying to return: kept from entering their own country.${ownCountryCaveat(after)}`,
    });
  }

  // Every event a rule fires on follows one that opens the case (see opensCase), so the case is open first.
  const commands: LegalCaseCommand[] = flags.map((found) => flag(after, found, now));
  if (!known?.caseOpenedBy && after.caseOpenedBy) {
    commands.unshift({
      type: 'OpenCase',
      data: { caseId: after.caseId, personId: after.personId, openedAt: now, firstEventId: after.caseOpenedBy },
    });
  }

  const earlier = practicesOf(known).map(occurrenceKey);
  return {
    facts: after,
    commands,
    practicesBegun: practicesOf(after).filter((occurrence) => !earlier.includes(occurrenceKey(occurrence))),
  };
}
