// Legal's rules at work: intake's and identity-documents' events come in, the person's facts are
// recorded, and what the rules decide is appended to legal's own event store, all in the
// consumer's transaction, with its checkpoint and inbox. A redelivered event is skipped by the
// inbox; a replayed one asks for flags whose ids already exist, which the decider ignores.
// Intake's PersonForgotten erases the person here too (forget-person/); the rules keep the facts
// of an erased person (operational, so pattern tallies still count them, live and rebuilt) but
// no longer open, flag or otherwise touch their case. Nothing is thrown for them: a throw here
// would dead-letter the event.
import type { CommandContext, ConsumerRunnerOptions, EventStore } from '@homeward/eventsourcing';
import { legalCaseDecider, legalCaseStreamId, patternDecider, patternStreamId, type LegalCaseCommand } from '@homeward/legal-domain';
import type { ConsumedEvent } from '@homeward/messaging';
import type { PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { forgetPerson } from '../forget-person/forget-person.js';
import { recordFacts, type PatternSettings } from '../person-facts/person-facts.read-model.js';

export interface LegalRulesOptions {
  groupId: string;
  topics: string[];
  /** When pattern indicators are raised, per batch and per release period. */
  patterns: PatternSettings;
  /** Legal's own store (the runtime's): what the rules decide is appended in the consumer's transaction. */
  store: EventStore;
  /** The people's data keys of legal's database: destroyed on erasure. */
  keys: PersonKeys;
}

const rulesActor = 'legal.rules';

const actorOf = (command: LegalCaseCommand) => (command.type === 'FlagViolation' ? command.data.flaggedBy : rulesActor);

/** The person intake's PersonForgotten erases; "" for any other event. */
const erasedBy = (event: ConsumedEvent): string =>
  event.source === 'intake' && event.type === 'PersonForgotten'
    ? event.subject || ((event.data as { personId?: string }).personId ?? '')
    : '';

export function legalRulesConsumer(options: LegalRulesOptions): Omit<ConsumerRunnerOptions, 'dataSource' | 'broker' | 'logger'> {
  const { store } = options;

  async function react(tx: EntityManager, event: ConsumedEvent): Promise<void> {
    const change = await recordFacts(tx, event, options.patterns);
    if (!change) return;
    const { seen, outcome, tallies, now } = change;
    const context = (actor: string): CommandContext => ({
      actor,
      correlationId: event.correlationId || event.eventId,
      causationId: event.eventId,
      occurredAt: now,
    });
    const caseTarget = { streamId: legalCaseStreamId(outcome.facts.caseId), subject: seen.personId };
    if (outcome.commands.length > 0) {
      // As an advisor's command does (case-commands.ts): after an erasure in flight, never before it.
      if (await options.keys.isKnown(tx, seen.personId))
        for (const command of outcome.commands) await store.handleIn(tx, legalCaseDecider, command, caseTarget, context(actorOf(command)));
    }
    for (const { command } of tallies) {
      if (!command) continue;
      const { patternId, batchId, periodFrom, periodTo, raisedBy } = command.data;
      const subject = batchId || `period:${periodFrom}..${periodTo}`;
      await store.handleIn(tx, patternDecider, command, { streamId: patternStreamId(patternId), subject }, context(raisedBy));
    }
  }

  return {
    groupId: options.groupId,
    topics: options.topics,
    async handle(tx, events) {
      for (const event of events) {
        const erased = erasedBy(event);
        if (erased) await forgetPerson(tx, options, erased);
        else await react(tx, event);
      }
    },
  };
}
