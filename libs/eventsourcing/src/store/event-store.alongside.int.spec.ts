// A service's own writes go with an append through the store's API (EventStore.handle's
// `alongside`): they see the append's answer, and they and the append commit or fail together.
import { describe, expect, it } from '@jest/globals';
import { context, releaseDecider } from '../testing/release-decider.js';
import { storeDatabase } from '../testing/store-statements.js';
import { EventStore, type AppendResult } from './event-store.js';

describe('EventStore.handle with writes alongside', () => {
  const db = storeDatabase();
  const store = () => new EventStore(db.dataSource, { source: 'intake', topic: 'test.alongside' });
  const release = (personId: string, alongside: (result: AppendResult) => Promise<void>, idempotencyKey?: string) =>
    store().handle(
      releaseDecider,
      { type: 'Release', personId, days: 1 },
      { streamId: `person-${personId}`, subject: personId },
      context({ ...(idempotencyKey ? { idempotencyKey } : {}) }),
      undefined,
      (_tx, result) => alongside(result),
    );
  const eventsOf = async (personId: string) =>
    Number((await db.dataSource.query(`SELECT count(*) FROM events WHERE stream_id = $1`, [`person-${personId}`]))[0].count);

  it('runs in the append transaction with its answer, a repeated request included', async () => {
    const seen: AppendResult[] = [];
    await release('p-1', async (result) => void seen.push(result), 'key-1');
    await release('p-1', async (result) => void seen.push(result), 'key-1');
    expect(seen.map((result) => [result.streamVersion, result.repeatedRequest])).toEqual([
      [1, false],
      [1, true],
    ]);
    expect(await eventsOf('p-1')).toBe(1);
  });

  it('takes the append back when it fails', async () => {
    await expect(release('p-2', async () => Promise.reject(new Error('the key could not be made')))).rejects.toThrow(
      'the key could not be made',
    );
    expect(await eventsOf('p-2')).toBe(0);
  });
});
