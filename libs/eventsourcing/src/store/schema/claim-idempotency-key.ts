// Claims an Idempotency-Key for a request (its fingerprint) in the command's transaction. A
// concurrent request with the same key waits on the unique index until the first commits, then
// finds it: the same request gets the first one's answer, another request is refused.
import { DomainError } from '@homeward/decider';
import type { EntityManager } from 'typeorm';

/** Null when the key is new (now claimed); else the answer given to the same request before. */
export async function claimIdempotencyKey<Result extends object>(
  tx: EntityManager,
  key: string,
  fingerprint: string,
): Promise<Result | null> {
  const claimed: unknown[] = await tx.query(
    `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, fingerprint],
  );
  if (claimed.length > 0) return null;
  const [earlier]: Array<{ request_hash: string; result: Result | null }> = await tx.query(
    `SELECT request_hash, result FROM idempotency_keys WHERE key = $1`,
    [key],
  );
  if (!earlier || earlier.request_hash !== fingerprint || !earlier.result) {
    throw new DomainError(
      'idempotency-key-reused',
      'request.idempotency-key-reused',
      'this Idempotency-Key was used with a different request',
    );
  }
  return earlier.result;
}
