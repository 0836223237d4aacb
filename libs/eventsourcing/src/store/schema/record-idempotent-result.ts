// Keeps the answer to a request under the Idempotency-Key it claimed, in the same transaction.
import type { EntityManager } from 'typeorm';

export async function recordIdempotentResult(tx: EntityManager, key: string, result: object): Promise<void> {
  await tx.query(`UPDATE idempotency_keys SET result = $2 WHERE key = $1`, [key, JSON.stringify(result)]);
}
