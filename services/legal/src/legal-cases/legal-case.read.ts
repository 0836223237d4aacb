// Reading cases: the case document with the person's deportation facts beside it, joined from
// legal's own person_facts read model (same database, never intake's).
import type { legal } from '@homeward/contracts';
import type { PersonFacts } from '@homeward/legal-domain';
import type { EntityManager } from 'typeorm';
import type { LegalCaseDocument } from './legal-cases.projection.js';

export interface CaseRow {
  id: string;
  doc: LegalCaseDocument;
  facts: PersonFacts | null;
}

/** SELECT list and FROM clause for case rows; callers add WHERE, ORDER and LIMIT. */
export const caseRowsFrom = `SELECT c.id, c.doc, f.doc AS facts FROM legal_cases c LEFT JOIN person_facts f ON f.id = c.doc->>'personId'`;

export function caseOf(row: CaseRow): legal.LegalCase {
  const deportation = row.facts?.deportation;
  return {
    ...row.doc,
    deportation: deportation
      ? {
          deportedAt: deportation.deportedAt,
          fromCountry: deportation.fromCountry,
          toCountry: deportation.toCountry,
          consented: deportation.consented,
          sourceEventId: deportation.eventId,
        }
      : undefined,
  };
}

export async function findCase(tx: Pick<EntityManager, 'query'>, caseId: string): Promise<legal.LegalCase | null> {
  const rows: CaseRow[] = await tx.query(`${caseRowsFrom} WHERE c.id = $1`, [caseId]);
  return rows[0] ? caseOf(rows[0]) : null;
}
