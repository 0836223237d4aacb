// The append statement against PostgreSQL: events, outbox row and head in one statement, and a
// decision taken on a head that has moved writes nothing.
import { describe, expect, it } from '@jest/globals';
import { appendOf, storeDatabase } from '../../testing/store-statements.js';
import { appendToStream } from './append-to-stream.js';

describe('appendToStream', () => {
  const db = storeDatabase();

  const stateOf = async (streamId: string) => ({
    head: await db.dataSource.query(`SELECT version, last_hash FROM streams WHERE stream_id = $1`, [streamId]),
    events: (await db.dataSource.query(
      `SELECT stream_version, prev_hash, hash, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    )) as unknown[],
    outbox: await db.dataSource.query(`SELECT from_version, to_version, topic FROM outbox WHERE stream_id = $1 ORDER BY position`, [
      streamId,
    ]),
  });

  it('writes the events, one outbox row for the append and the new head, in one statement', async () => {
    expect(await db.dataSource.transaction((tx) => appendToStream(tx, appendOf('s-1', 0, 2)))).toBe(true);
    expect(await db.dataSource.transaction((tx) => appendToStream(tx, appendOf('s-1', 2, 3, 'replayed')))).toBe(true);
    const state = await stateOf('s-1');
    expect(state.head).toEqual([{ version: 3, last_hash: 'h3' }]);
    expect(state.events).toEqual(
      [1, 2, 3].map((version) => ({
        stream_version: version,
        prev_hash: `h${version - 1}`,
        hash: `h${version}`,
        metadata: { actor: 'caseworker-test', subject: 's-1' },
      })),
    );
    expect(state.outbox).toEqual([
      { from_version: 1, to_version: 2, topic: 'intake' },
      { from_version: 3, to_version: 3, topic: 'replayed' },
    ]);
  });

  it('writes nothing and answers false when the head has moved since the decision', async () => {
    await db.dataSource.transaction((tx) => appendToStream(tx, appendOf('s-2', 0, 1)));
    const before = await stateOf('s-2');
    expect(await db.dataSource.transaction((tx) => appendToStream(tx, appendOf('s-2', 0, 1)))).toBe(false);
    expect(await db.dataSource.transaction((tx) => appendToStream(tx, appendOf('s-2', 2, 3)))).toBe(false);
    expect(await stateOf('s-2')).toEqual(before);
  });
});
