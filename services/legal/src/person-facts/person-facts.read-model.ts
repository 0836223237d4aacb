// What legal's rules know, kept from intake's and identity-documents' topics: each person's facts
// (person_facts) and, per release batch or release period and practice, the cases it affects
// (batch_practices, both kinds of tally by pattern id).
// Bookkeeping only, no decider: the rules consumer runs it and then acts on what changed; a
// rebuild runs it alone. Rules answer as of the event that triggered them (its recorded time), so
// the same log gives the same facts and tallies, live or rebuilt.
import { lockDocuments, upsertDocuments } from '@homeward/eventsourcing';
import type { ConsumerReadModel } from '@homeward/operations';
import {
  batchScope,
  countPractice,
  observed,
  patternIdOfScope,
  periodScope,
  reactTo,
  type FactsBeforeEpisodes,
  type ObservedEvent,
  type PatternScope,
  type PersonFacts,
  type PracticeTally,
  type RuleOutcome,
  type TallyOutcome,
} from '@homeward/legal-domain';
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

/** When a pattern indicator is raised: per batch, and per release period across batches. */
export interface PatternSettings {
  /** People of one release batch affected by one practice. */
  batchThreshold: number;
  /** People released within one period (any batch, or none) affected by one practice. */
  periodThreshold: number;
  /** The length of a release period, in days. */
  periodWindowDays: number;
}

export async function recordFacts(
  tx: EntityManager,
  event: ConsumedEvent,
  patterns: PatternSettings,
  tableOf: (table: string) => string = (table) => table,
): Promise<FactsChange | null> {
  const seen = observed(event);
  if (!seen) return null;
  const now = event.recordedAt;
  const before = await lockDocument<PersonFacts | FactsBeforeEpisodes>(tx, factTables.facts, tableOf(factTables.facts), seen.personId);
  const outcome = reactTo(before, seen, now);
  // The rules folded the event into the person's facts already (personFacts.evolve folds the same): stored as they are.
  await upsertDocuments(tx, personFacts, [[seen.personId, outcome.facts]], tableOf(factTables.facts));
  const tallies: TallyOutcome[] = [];
  const table = tableOf(factTables.practices);
  for (const { practice, release } of outcome.practicesBegun) {
    const scopes: Array<[PatternScope | null, number]> = [
      [release.batchId ? batchScope(release.batchId) : null, patterns.batchThreshold],
      [periodScope(release.releasedAt, patterns.periodWindowDays), patterns.periodThreshold],
    ];
    for (const [scope, threshold] of scopes) {
      if (!scope) continue;
      const tally = await lockDocument<PracticeTally>(tx, factTables.practices, table, patternIdOfScope(scope, practice));
      const counted = countPractice(tally, { scope, practice, caseId: outcome.facts.caseId }, threshold, now);
      await upsertDocuments(tx, { name: factTables.practices }, [[counted.tally.patternId, counted.tally]], table);
      tallies.push(counted);
    }
  }
  return { seen, outcome, tallies, now };
}

/** The read model as an operator sees it: both tables, rebuilt together from the topics. */
export function personFactsReadModel(groupId: string, patterns: PatternSettings): ConsumerReadModel {
  return {
    tables: [factTables.facts, factTables.practices],
    groupId,
    async project(tx, events, tableOf) {
      for (const event of events) await recordFacts(tx, event, patterns, tableOf);
    },
  };
}
