// Reading cases: the case document with the person's deportation facts beside it, joined from
// legal's own person_facts read model (same database, never intake's). The personal and
// identifying fields (evidence sources and descriptions, reasoning, notes, references, flag
// summaries) are ciphertext in the document, sealed with the person's key by the event store;
// they are opened here, at the query edge, and nowhere else.
import type { legal } from '@homeward/contracts';
import { upgradeFacts, type DeportationFact, type FactsBeforeEpisodes, type PersonFacts } from '@homeward/legal-domain';
import { openMessage, scrubMessage, type PersonKey, type PersonKeys } from '@homeward/personal-data';
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

const caseMessage = 'homeward.legal.v1.LegalCase';

/**
 * What cannot be read (an erased person, a damaged value) reads as unknown: "" or left out. An
 * erased person's case answers no such value at all, not even one stored before legal sealed
 * them (plaintext, which a rebuild from those events would bring back into the document).
 */
export const openCase = (found: legal.LegalCase, key: PersonKey): legal.LegalCase =>
  key.state === 'forgotten' ? scrubMessage(caseMessage, found) : openMessage(caseMessage, found, key);

/** The cases of the rows, opened with their people's keys (one query for the page). */
export async function openCases(tx: Pick<EntityManager, 'query'>, keys: PersonKeys, rows: readonly CaseRow[]): Promise<legal.LegalCase[]> {
  const keyOf = await keys.findMany(
    tx,
    rows.map((row) => row.doc.personId),
  );
  return rows.map((row) => openCase(caseOf(row), keyOf.get(row.doc.personId)!));
}

export async function findCase(tx: Pick<EntityManager, 'query'>, keys: PersonKeys, caseId: string): Promise<legal.LegalCase | null> {
  const rows: CaseRow[] = await tx.query(`${caseRowsFrom} WHERE c.id = $1`, [caseId]);
  return (await openCases(tx, keys, rows))[0] ?? null;
}
