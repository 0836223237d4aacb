// Reading a stream against PostgreSQL: its events only, in version order, as envelopes.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { appendOf, storeDatabase } from '../../testing/store-statements.js';
import { appendToStream } from './append-to-stream.js';
import { readStream } from './read-stream.js';

describe('readStream', () => {
  const db = storeDatabase();

  beforeAll(async () => {
    await db.dataSource.transaction(async (tx) => {
      await appendToStream(tx, appendOf('s-a', 0, 2));
      await appendToStream(tx, appendOf('s-b', 0, 1));
      await appendToStream(tx, appendOf('s-a', 2, 3));
    });
  });

  it("answers the stream's events in version order, as envelopes", async () => {
    const events = await readStream(db.dataSource, 's-a');
    expect(events.map((event) => [event.streamId, event.streamVersion, event.prevHash, event.hash, event.data])).toEqual([
      ['s-a', 1, 'h0', 'h1', { n: 1 }],
      ['s-a', 2, 'h1', 'h2', { n: 2 }],
      ['s-a', 3, 'h2', 'h3', { n: 3 }],
    ]);
    expect(events[0]).toMatchObject({ type: 'PrisonerReleased', schemaVersion: 1, actor: 'caseworker-test', subject: 's-a' });
    expect(Number(events[2]!.globalPosition)).toBeGreaterThan(Number(events[1]!.globalPosition));
  });

  it('answers nothing for a stream that has no events', async () => {
    expect(await readStream(db.dataSource, 's-none')).toEqual([]);
  });
});
