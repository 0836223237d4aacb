// Reading cases: the case document with the person's deportation facts beside it, joined from
// legal's own person_facts read model (same database, never intake's).
import type { legal } from '@homeward/contracts';
import { upgradeFacts, type DeportationFact, type FactsBeforeEpisodes, type PersonFacts } from '@homeward/legal-domain';
import type { EntityManager } from 'typeorm';
import type { LegalCaseDocument } from './legal-cases.projection.js';

export interface CaseRow {
  id: string;
  doc: LegalCaseDocument;
  facts: PersonFacts | FactsBeforeEpisodes | null;
}

/** SELECT list and FROM clause for case rows; callers add WHERE, ORDER and LIMIT. */
export const caseRowsFrom = `SELECT c.id, c.doc, f.doc AS facts FROM legal_cases c LEFT JOIN person_facts f ON f.id = c.doc->>'personId'`;

const deportationFacts = ({ deportedAt, fromCountry, toCountry, consented, eventId }: DeportationFact): legal.DeportationFacts => ({
  deportedAt,
  fromCountry,
  toCountry,
  consented,
  sourceEventId: eventId,
});

export function caseOf(row: CaseRow): legal.LegalCase {
  // The latest deportation; the facts keep every one (a person may go through several episodes).
  const latest = row.facts ? upgradeFacts(row.facts).deportations.at(-1) : undefined;
  return { ...row.doc, deportation: latest && deportationFacts(latest) };
}

export async function findCase(tx: Pick<EntityManager, 'query'>, caseId: string): Promise<legal.LegalCase | null> {
  const rows: CaseRow[] = await tx.query(`${caseRowsFrom} WHERE c.id = $1`, [caseId]);
  return rows[0] ? caseOf(rows[0]) : null;
}
