// Erasure: the fingerprints of the requests whose answer names a subject are hashes of their
// plaintext (a guessed name could be checked against them), so they are scrubbed. A request
// under a scrubbed key is then refused as another request would be.
import type { EntityManager } from 'typeorm';

/** Scrubs the fingerprints of the requests answered with one of `ids`, but the one under `exceptKey` (the erasure's own). */
export async function forgetRequests(tx: EntityManager, ids: readonly string[], exceptKey = ''): Promise<void> {
  await tx.query(
    `UPDATE idempotency_keys SET request_hash = 'forgotten' WHERE result->>'id' = ANY($1) AND key <> $2 AND request_hash <> 'forgotten'`,
    [ids, exceptKey],
  );
}
