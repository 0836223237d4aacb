// Legal's rules at work: intake's and identity-documents' events come in, the person's facts are
// updated, and what the rules decide is appended to legal's own event store, all in the consumer's
// transaction, with its checkpoint and inbox. A redelivered event is skipped by the inbox; a
// replayed one (a rebuild) asks for flags whose ids already exist, which the decider ignores.
import type { ConsumerRunnerOptions, CommandContext, EventStoreOptions } from '@homeward/eventsourcing';
import { applyToDocuments, EventStore } from '@homeward/eventsourcing';
import {
  countPractice,
  legalCaseDecider,
  legalCaseStreamId,
  observed,
  patternDecider,
  patternIdOf,
  patternStreamId,
  reactTo,
  type LegalCaseCommand,
  type PersonFacts,
  type PracticeTally,
} from '@homeward/legal-domain';
import type { ConsumedEvent } from '@homeward/messaging';
import type { EntityManager } from 'typeorm';
import { personFacts } from '../person-facts/person-facts.projection.js';

export interface LegalRulesOptions {
  groupId: string;
  topics: string[];
  /** People of one release batch affected by one practice before a pattern indicator is raised. */
  patternThreshold: number;
  store: EventStoreOptions;
  clock?: () => Date;
}

const rulesActor = 'legal.rules';

async function lockDocument<Doc>(tx: EntityManager, table: string, id: string): Promise<Doc | null> {
  const rows: Array<{ doc: Doc }> = await tx.query(`SELECT doc FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0]?.doc ?? null;
}

/** The batch tally is rule state, not a projection of one event: it counts people per (batch, practice). */
async function saveTally(tx: EntityManager, tally: PracticeTally): Promise<void> {
  await tx.query(
    `INSERT INTO batch_practices (id, doc, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
    [tally.patternId, JSON.stringify(tally)],
  );
}

const actorOf = (command: LegalCaseCommand) => (command.type === 'FlagViolation' ? command.data.flaggedBy : rulesActor);

export function legalRulesConsumer(options: LegalRulesOptions): Omit<ConsumerRunnerOptions, 'dataSource' | 'broker' | 'logger'> {
  const clock = options.clock ?? (() => new Date());

  async function react(tx: EntityManager, store: EventStore, event: ConsumedEvent, now: string): Promise<void> {
    const seen = observed(event);
    if (!seen) return;
    const before = await lockDocument<PersonFacts>(tx, personFacts.name, seen.personId);
    const outcome = reactTo(before, seen, now);
    await applyToDocuments(tx, personFacts, [event]);

    const context = (actor: string): CommandContext => ({ actor, correlationId: event.correlationId || event.eventId, causationId: event.eventId, occurredAt: now });
    const caseTarget = { streamId: legalCaseStreamId(outcome.facts.caseId), subject: seen.personId };
    for (const command of outcome.commands) await store.handleIn(tx, legalCaseDecider, command, caseTarget, context(actorOf(command)));

    for (const practice of outcome.practicesBegun) {
      const { batchId, caseId } = outcome.facts;
      const patternId = patternIdOf(batchId, practice);
      const tally = await lockDocument<PracticeTally>(tx, 'batch_practices', patternId);
      const counted = countPractice(tally, { batchId, practice, caseId }, options.patternThreshold, now);
      await saveTally(tx, counted.tally);
      if (counted.command) {
        await store.handleIn(tx, patternDecider, counted.command, { streamId: patternStreamId(patternId), subject: batchId }, context(counted.command.data.raisedBy));
      }
    }
  }

  return {
    groupId: options.groupId,
    topics: options.topics,
    async handle(tx, events) {
      // Consumers are declared before the runtime's store exists; this one writes through the
      // same store definition, inside the consumer's transaction.
      const store = new EventStore(tx.connection, options.store);
      const now = clock().toISOString();
      for (const event of events) await react(tx, store, event, now);
    },
  };
}
