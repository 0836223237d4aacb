// Erasure in legal: intake's PersonForgotten, taken by the rules consumer in its transaction (with
// its checkpoint and inbox). Legal's events about the person stay, their personal and identifying
// fields ciphertext under the key destroyed here, so they are unreadable everywhere (Kafka and the
// audit copy included). The cases keep their legal meaning: ids, citations, states, dates, the
// events a flag rests on, forums and statuses. person_facts and the batch tallies hold operational
// facts only (ids, booleans, dates, country codes) and stay, so pattern indicators keep counting
// the person. Every step is idempotent: a redelivery changes nothing.
import { upsertDocuments, type EventStore } from '@homeward/eventsourcing';
import { scrubMessage, type PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { legalCases, type LegalCaseDocument } from '../legal-cases/legal-cases.projection.js';

export async function forgetPerson(
  tx: EntityManager,
  { store, keys }: { store: EventStore; keys: PersonKeys },
  personId: string,
): Promise<void> {
  // Waits for the person's case commands in flight; any later one sees the key destroyed.
  await keys.lockForErasure(tx, personId);
  // Marks a person legal never saw forgotten too: no case is opened or flagged for them later.
  await keys.destroy(tx, personId);
  // The values were ciphertext already; dropping them leaves nothing to decrypt should a key survive somewhere.
  const cases: Array<{ id: string; doc: LegalCaseDocument }> = await tx.query(
    `SELECT id, doc FROM legal_cases WHERE doc->>'personId' = $1 FOR UPDATE`,
    [personId],
  );
  await upsertDocuments(
    tx,
    legalCases,
    cases.map(({ id, doc }) => [id, scrubMessage('homeward.legal.v1.LegalCase', doc)] as const),
  );
  // The fingerprints of the advisors' requests on the person's case are hashes of their plaintext
  // (a note, a reasoning), so a guessed text could be confirmed against them. A case command's
  // stored result names the stream's subject, the person, as its id.
  await store.forgetRequests(tx, personId);
}
