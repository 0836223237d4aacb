// Legal's rules: given what was known about a person and what just happened, which commands to
// send to the person's case. Rules only flag; an advisor confirms or dismisses. A rule fires when
// its conditions first hold; its flag's id is derived from the rule and the events it rests on,
// so a replayed or redelivered event can only ask for a flag the case already has.
import type { FlagViolation, LegalCaseCommand } from '../legal-case.commands.js';
import { violationIdOf } from '../ids.js';
import { citationOf, instruments, type Practice } from '../legal.vocabulary.js';
import type { ObservedEvent } from './observed.events.js';
import { evolveFacts, type PersonFacts } from './person-facts.js';

export const ruleNames = {
  passportTakenAndDeported: 'passport-taken-and-deported',
  statelessnessRisk: 'statelessness-risk',
  returnRefused: 'return-refused',
  batchPattern: 'batch-pattern',
} as const;

export interface RuleOutcome {
  /** The facts after the event, to store. */
  facts: PersonFacts;
  /** For the person's case, in order (the case is opened first). */
  commands: LegalCaseCommand[];
  /** Practices of the person's release batch that now hold for this person and did not before. */
  practicesBegun: Practice[];
}

const passportTakenAndDeported = (facts: PersonFacts) => Boolean(facts.passportTaken && facts.deportedWithoutConsent);
/** Only a non-valid certificate left: the passport is gone and nothing valid replaced it. */
const statelessnessRisk = (facts: PersonFacts) => Boolean(facts.passportTaken && facts.nonValidCertificate && !facts.validDocument);

export function practicesOf(facts: PersonFacts | null): Practice[] {
  if (!facts?.batchId) return [];
  const found: Practice[] = [];
  if (facts.deportedWithoutConsent) found.push('deportation-without-consent');
  if (facts.passportTaken) found.push('passport-confiscation');
  return found;
}

function flag(facts: PersonFacts, rule: string, instrument: string, provision: string, restsOn: string[], summary: string, now: string): FlagViolation {
  return {
    type: 'FlagViolation',
    data: {
      caseId: facts.caseId,
      violationId: violationIdOf(rule, citationOf(instrument, provision), restsOn),
      instrument,
      provision,
      restsOn,
      flaggedBy: `rule:${rule}`,
      flaggedAt: now,
      summary,
    },
  };
}

const ownCountryCaveat = (facts: PersonFacts) => (facts.foreignNational ? ' The person is a foreign national: check whether Belarus is their own country.' : '');

export function reactTo(before: PersonFacts | null, event: ObservedEvent, now: string): RuleOutcome {
  const after = evolveFacts(before, event);
  const flags: FlagViolation[] = [];

  if (!(before && passportTakenAndDeported(before)) && passportTakenAndDeported(after)) {
    const restsOn = [after.passportTaken, after.deportedWithoutConsent];
    const rule = ruleNames.passportTakenAndDeported;
    flags.push(
      flag(after, rule, instruments.iccpr, '12(4)', restsOn, `Passport taken and deported without consent: barred from entering their own country.${ownCountryCaveat(after)}`, now),
      flag(after, rule, instruments.iccpr, '12(2)', restsOn, 'Passport taken and deported without consent: not free to leave, or to choose where to go.', now),
    );
  }
  if (!(before && statelessnessRisk(before)) && statelessnessRisk(after)) {
    const restsOn = [after.passportTaken, after.nonValidCertificate];
    flags.push(flag(after, ruleNames.statelessnessRisk, instruments.statelessness1961, '', restsOn, 'Passport gone and only a certificate that is not a valid identity document: at risk of statelessness.', now));
  }
  if (event.type === 'ReturnAttempted' && event.data.outcome === 'refused') {
    flags.push(flag(after, ruleNames.returnRefused, instruments.iccpr, '12(4)', [event.eventId], `Refused at the border when trying to return.${ownCountryCaveat(after)}`, now));
  }

  // Every event a rule fires on also opens the case (see opensCase), so the case is open first.
  const commands: LegalCaseCommand[] = [...flags];
  if (!before?.caseOpenedBy && after.caseOpenedBy) {
    commands.unshift({ type: 'OpenCase', data: { caseId: after.caseId, personId: after.personId, openedAt: now, firstEventId: after.caseOpenedBy } });
  }

  const earlier = practicesOf(before);
  return { facts: after, commands, practicesBegun: practicesOf(after).filter((practice) => !earlier.includes(practice)) };
}
