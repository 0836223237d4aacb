// What legal's rules know, kept from intake's and identity-documents' topics: each person's facts
// (person_facts) and, per release batch and practice, the cases it affects (batch_practices).
// Bookkeeping only, no decider: the rules consumer runs it and then acts on what changed; a
// rebuild runs it alone. Rules answer as of the event that triggered them (its recorded time), so
// the same log gives the same facts and tallies, live or rebuilt.
import { applyToDocuments, lockDocuments, upsertDocuments, type ConsumerReadModel } from '@homeward/eventsourcing';
import { countPractice, observed, patternIdOf, reactTo, type ObservedEvent, type PersonFacts, type PracticeTally, type RuleOutcome, type TallyOutcome } from '@homeward/legal-domain';
import type { ConsumedEvent } from '@homeward/messaging';
import type { EntityManager } from 'typeorm';
import { personFacts } from './person-facts.projection.js';

export const factTables = { facts: personFacts.name, practices: 'batch_practices' } as const;

export interface FactsChange {
  seen: ObservedEvent;
  outcome: RuleOutcome;
  /** The tallies this event moved, each with the pattern command it calls for, if any. */
  tallies: TallyOutcome[];
  now: string;
}

/** The one document of a fact table with this id, read FOR UPDATE (null: none yet). */
async function lockDocument<Doc>(tx: EntityManager, model: string, table: string, id: string): Promise<Doc | null> {
  return (await lockDocuments<Doc>(tx, { name: model }, [id], table)).get(id) ?? null;
}

export async function recordFacts(
  tx: EntityManager,
  event: ConsumedEvent,
  patternThreshold: number,
  tableOf: (table: string) => string = (table) => table,
): Promise<FactsChange | null> {
  const seen = observed(event);
  if (!seen) return null;
  const now = event.recordedAt;
  const before = await lockDocument<PersonFacts>(tx, factTables.facts, tableOf(factTables.facts), seen.personId);
  const outcome = reactTo(before, seen, now);
  await applyToDocuments(tx, personFacts, [event], tableOf(factTables.facts), new Map([[seen.personId, before]]));
  const tallies: TallyOutcome[] = [];
  for (const practice of outcome.practicesBegun) {
    const { batchId, caseId } = outcome.facts;
    const table = tableOf(factTables.practices);
    const tally = await lockDocument<PracticeTally>(tx, factTables.practices, table, patternIdOf(batchId, practice));
    const counted = countPractice(tally, { batchId, practice, caseId }, patternThreshold, now);
    await upsertDocuments(tx, { name: factTables.practices }, [[counted.tally.patternId, counted.tally]], table);
    tallies.push(counted);
  }
  return { seen, outcome, tallies, now };
}

/** The read model as an operator sees it: both tables, rebuilt together from the topics. */
export function personFactsReadModel(groupId: string, patternThreshold: number): ConsumerReadModel {
  return {
    tables: [factTables.facts, factTables.practices],
    groupId,
    async project(tx, events, tableOf) {
      for (const event of events) await recordFacts(tx, event, patternThreshold, tableOf);
    },
  };
}
