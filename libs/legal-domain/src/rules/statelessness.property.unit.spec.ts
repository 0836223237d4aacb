// One statelessness rule, two contexts: over any sequence of identity-documents events (and intake
// events between them), legal's statelessness flag and the documents status agree. The documents
// side is the standing fold identity-documents' decider uses (its own spec checks that its evolve
// is this fold); the legal side is the rules as the consumer runs them.
import { describe, expect, it } from '@jest/globals';
import {
  documentsStatus,
  evolveStanding,
  initialStanding,
  travelDocumentTypes,
  type Standing,
  type StandingEvent,
} from '@homeward/documents-standing';
import fc from 'fast-check';
import type { FlagViolation } from '../legal-case.commands.js';
import { instruments } from '../legal.vocabulary.js';
import { countPractice, periodScope } from './batch-pattern.rule.js';
import { atRiskOfStatelessness, reactTo } from './legal.rules.js';
import type { ObservedEvent } from './observed.events.js';
import type { PersonFacts } from './person-facts.js';

const personId = '0190a000-0000-7000-8000-000000000601';
const at = '2025-09-11T14:00:00.000Z';
const now = '2025-09-12T10:00:00.000Z';

type Drawn = { type: string; data: Record<string, unknown> };

/**
 * What a caseworker may ask identity-documents to record, in any order; `recorded` keeps only what
 * its decider accepts (a passport is taken once and destroyed once, a decision is made once, on an
 * open application, and names the application's country and type), so the sequences are those
 * identity-documents can publish.
 */
type Intent =
  | { kind: 'confiscate' | 'destroy' }
  | { kind: 'certify'; valid: boolean }
  | { kind: 'apply'; documentType: string }
  | { kind: 'issue' | 'refuse'; application: number };

const intent: fc.Arbitrary<Intent> = fc.oneof(
  fc.constantFrom<Intent>({ kind: 'confiscate' }, { kind: 'destroy' }),
  fc.boolean().map((valid): Intent => ({ kind: 'certify', valid })),
  fc.constantFrom(...travelDocumentTypes).map((documentType): Intent => ({ kind: 'apply', documentType })),
  fc.tuple(fc.constantFrom<'issue' | 'refuse'>('issue', 'refuse'), fc.nat(3)).map(([kind, application]): Intent => ({ kind, application })),
);

function recorded(intents: Intent[]): Drawn[] {
  let passport: 'held' | 'confiscated' | 'destroyed' = 'held';
  const applications: Array<{ applicationId: string; documentType: string; open: boolean }> = [];
  const events: Drawn[] = [];
  for (const wish of intents) {
    switch (wish.kind) {
      case 'confiscate':
        if (passport !== 'held') break;
        passport = 'confiscated';
        events.push({ type: 'PassportConfiscated', data: { personId, confiscatedAt: at, authority: 'kgb', place: '' } });
        break;
      case 'destroy':
        if (passport === 'destroyed') break;
        passport = 'destroyed';
        events.push({ type: 'PassportDestroyed', data: { personId, destroyedAt: at, authority: 'kgb', account: '' } });
        break;
      case 'certify':
        events.push({
          type: 'TemporaryCertificateIssued',
          data: { personId, issuedAt: at, issuer: 'OGiM', format: 'A4', validAsIdentityDocument: wish.valid },
        });
        break;
      case 'apply': {
        const application = { applicationId: `app-${applications.length}`, documentType: wish.documentType, open: true };
        applications.push(application);
        events.push({
          type: 'TravelDocumentApplied',
          data: { personId, applicationId: application.applicationId, appliedAt: at, country: 'LT', documentType: wish.documentType },
        });
        break;
      }
      case 'issue':
      case 'refuse': {
        const application = applications[wish.application];
        if (!application?.open) break;
        application.open = false;
        const { applicationId, documentType } = application;
        events.push(
          wish.kind === 'issue'
            ? { type: 'TravelDocumentIssued', data: { personId, applicationId, issuedAt: at, country: 'LT', documentType, validUntil: '' } }
            : { type: 'TravelDocumentRefused', data: { personId, applicationId, refusedAt: at, country: 'LT', documentType, reason: '' } },
        );
        break;
      }
    }
  }
  return events;
}

/** intake's events that legal's other rules look at. */
const intakeEvent: fc.Arbitrary<Drawn> = fc.oneof(
  fc
    .tuple(fc.constantFrom('', 'batch-a', 'batch-b'), fc.constantFrom('2025-09-11T10:00:00Z', '2026-02-01T10:00:00Z'))
    .map(([batchId, releasedAt]) => ({
      type: 'PrisonerReleased',
      data: { personId, releasedAt, mechanism: 'brokered', batchId, daysOfSentenceRemaining: 0, sentenceRemainingSource: '' },
    })),
  fc.boolean().map((consented) => ({
    type: 'PrisonerDeported',
    data: { personId, deportedAt: at, fromCountry: 'BY', toCountry: 'LT', borderCrossing: '', consented },
  })),
  fc
    .constantFrom('refused', 'crossed')
    .map((outcome) => ({ type: 'ReturnAttempted', data: { personId, attemptedAt: at, borderCrossing: '', outcome } })),
  fc.boolean().map((foreignNational) => ({
    type: 'PersonRegistered',
    data: { personId, fullName: '', aliases: [], birthDate: '', citizenships: [], foreignNational, occupation: '', batchId: '' },
  })),
  fc.constant({ type: 'RearrestReported', data: { personId, reportedAt: at, place: '' } }),
);

/** What identity-documents publishes, with intake's events of the same person in between (two topics, any interleaving). */
const documentsAndIntake: fc.Arbitrary<Drawn[]> = fc
  .tuple(
    fc.array(intent, { maxLength: 20 }),
    fc.array(intakeEvent, { maxLength: 8 }),
    fc.array(fc.boolean(), { minLength: 28, maxLength: 28 }),
  )
  .map(([intents, intake, picks]) => {
    const documents = recorded(intents);
    const merged: Drawn[] = [];
    let d = 0;
    let i = 0;
    for (const pick of picks) {
      if (pick && d < documents.length) merged.push(documents[d++]!);
      else if (i < intake.length) merged.push(intake[i++]!);
    }
    return [...merged, ...documents.slice(d), ...intake.slice(i)];
  });

/** Each drawn event with an id of its own, as the topics deliver them. */
const observedAll = (drawn: Drawn[]): ObservedEvent[] =>
  drawn.map((event, n) => ({ ...event, eventId: `e-${n}`, personId }) as unknown as ObservedEvent);
const isDocumentEvent = (event: ObservedEvent): event is ObservedEvent & StandingEvent =>
  event.type.startsWith('Passport') || event.type.startsWith('T');

const statelessnessFlags = (commands: ReturnType<typeof reactTo>['commands']) =>
  commands.filter(
    (command): command is FlagViolation => command.type === 'FlagViolation' && command.data.flaggedBy === 'rule:statelessness-risk',
  );

describe('one statelessness rule: documents status and legal flag agree', () => {
  it('over any sequence of events: legal is at risk exactly when documents says at-risk-of-statelessness, and flags on becoming so', () => {
    fc.assert(
      fc.property(documentsAndIntake, (drawn) => {
        let standing: Standing = initialStanding();
        let facts: PersonFacts | null = null;
        let everAtRisk = false;
        const flagIds: string[] = [];
        for (const event of observedAll(drawn)) {
          const wasAtRisk = documentsStatus(standing) === 'at-risk-of-statelessness';
          if (isDocumentEvent(event)) standing = evolveStanding(standing, event);
          const atRisk = documentsStatus(standing) === 'at-risk-of-statelessness';
          const outcome = reactTo(facts, event, now);
          facts = outcome.facts;
          const flags = statelessnessFlags(outcome.commands);

          expect(atRiskOfStatelessness(facts)).toBe(atRisk);
          expect(flags.length > 0).toBe(!wasAtRisk && atRisk);
          everAtRisk ||= atRisk;
          flagIds.push(...flags.map((flag) => flag.data.violationId));
        }
        expect(flagIds.length > 0).toBe(everAtRisk);
        expect(new Set(flagIds).size).toBe(flagIds.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('flags that name something', () => {
  it('every flag any rule raises names an instrument, a non-empty provision and why, and no flag is asked for twice', () => {
    fc.assert(
      fc.property(documentsAndIntake, (drawn) => {
        let facts: PersonFacts | null = null;
        const ids: string[] = [];
        for (const event of observedAll(drawn)) {
          const outcome = reactTo(facts, event, now);
          facts = outcome.facts;
          for (const command of outcome.commands) {
            if (command.type !== 'FlagViolation') continue;
            expect(command.data.instrument.trim()).not.toBe('');
            expect(command.data.provision.trim()).not.toBe('');
            expect(command.data.summary.trim().length).toBeGreaterThan(20);
            expect(command.data.restsOn.every((eventId) => eventId !== '')).toBe(true);
            ids.push(command.data.violationId);
          }
          for (const { practice, release } of outcome.practicesBegun) {
            const scope = periodScope(release.releasedAt, 30);
            const raised = scope && countPractice(null, { scope, practice, caseId: facts.caseId }, 1, now).command;
            expect(raised?.data.provision).toBe('7(1)(d)');
          }
        }
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
  });

  it('every instrument says where Belarus stands on it', () => {
    for (const instrument of Object.values(instruments)) {
      expect(instrument.name).not.toBe('');
      expect(instrument.belarus).toMatch(/Belarus|treaty/);
    }
    expect(instruments.iccpr.belarus).toMatch(/First Optional Protocol .*denounced .*8 February 2023/);
  });
});
