// Erasure's scrub against PostgreSQL: the requests answered with the erased id lose their
// fingerprint (a retry under their key is refused), the erasure's own and other ids' keep theirs.
import { describe, expect, it } from '@jest/globals';
import { storeDatabase } from '../../testing/store-statements.js';
import { claimIdempotencyKey } from './claim-idempotency-key.js';
import { forgetRequests } from './forget-requests.js';
import { recordIdempotentResult } from './record-idempotent-result.js';

describe('forgetRequests', () => {
  const db = storeDatabase();
  const answered = (key: string, id: string) =>
    db.dataSource.transaction(async (tx) => {
      await claimIdempotencyKey(tx, key, `request-${key}`);
      await recordIdempotentResult(tx, key, { id });
    });
  const retry = (key: string) => db.dataSource.transaction((tx) => claimIdempotencyKey(tx, key, `request-${key}`));

  it("scrubs the erased id's requests but the erasure's own, and leaves other ids alone", async () => {
    await answered('register', 'p-1');
    await answered('erase', 'p-1');
    await answered('other', 'p-2');
    await db.dataSource.transaction((tx) => forgetRequests(tx, ['p-1'], 'erase'));
    await expect(retry('register')).rejects.toMatchObject({ code: 'request.idempotency-key-reused' });
    expect(await retry('erase')).toEqual({ id: 'p-1' });
    expect(await retry('other')).toEqual({ id: 'p-2' });
  });

  it('scrubs the requests of several ids in one statement, every one of them without an exception', async () => {
    await answered('follow-a', 'r-1');
    await answered('follow-b', 'r-2');
    await answered('follow-c', 'r-3');
    await db.dataSource.transaction((tx) => forgetRequests(tx, ['r-1', 'r-2']));
    await expect(retry('follow-a')).rejects.toMatchObject({ code: 'request.idempotency-key-reused' });
    await expect(retry('follow-b')).rejects.toMatchObject({ code: 'request.idempotency-key-reused' });
    expect(await retry('follow-c')).toEqual({ id: 'r-3' });
  });
});
