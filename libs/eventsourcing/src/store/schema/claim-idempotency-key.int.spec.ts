// Idempotency-Keys against PostgreSQL: a new key is claimed, the same request under it gets the
// answer recorded for it, another request under it is refused, and so is a retry of a request
// whose first attempt has no answer yet.
import { describe, expect, it } from '@jest/globals';
import { storeDatabase } from '../../testing/store-statements.js';
import { claimIdempotencyKey } from './claim-idempotency-key.js';
import { recordIdempotentResult } from './record-idempotent-result.js';

describe('claimIdempotencyKey and recordIdempotentResult', () => {
  const db = storeDatabase();
  const reused = { code: 'request.idempotency-key-reused' };

  it('claims a new key, then answers the same request with the result recorded for it', async () => {
    const answer = { id: 'p-1', streamVersion: 2 };
    await db.dataSource.transaction(async (tx) => {
      expect(await claimIdempotencyKey(tx, 'key-1', 'request-a')).toBeNull();
      await recordIdempotentResult(tx, 'key-1', answer);
    });
    expect(await db.dataSource.transaction((tx) => claimIdempotencyKey(tx, 'key-1', 'request-a'))).toEqual(answer);
  });

  it('refuses another request under a key already used', async () => {
    await db.dataSource.transaction(async (tx) => {
      await claimIdempotencyKey(tx, 'key-2', 'request-a');
      await recordIdempotentResult(tx, 'key-2', { id: 'p-2' });
    });
    await expect(db.dataSource.transaction((tx) => claimIdempotencyKey(tx, 'key-2', 'request-b'))).rejects.toMatchObject(reused);
  });

  it('refuses a key claimed whose request has no answer recorded', async () => {
    await db.dataSource.transaction((tx) => claimIdempotencyKey(tx, 'key-3', 'request-a'));
    await expect(db.dataSource.transaction((tx) => claimIdempotencyKey(tx, 'key-3', 'request-a'))).rejects.toMatchObject(reused);
  });

  it('leaves nothing claimed when the transaction that claimed the key rolls back', async () => {
    await expect(
      db.dataSource.transaction(async (tx) => {
        await claimIdempotencyKey(tx, 'key-4', 'request-a');
        throw new Error('the command failed');
      }),
    ).rejects.toThrow('the command failed');
    expect(await db.dataSource.transaction((tx) => claimIdempotencyKey(tx, 'key-4', 'request-a'))).toBeNull();
  });
});
