// The relay's statements against PostgreSQL: the oldest queued appends' events in order, split at
// the batch's limit, without the appends in flight; an acknowledgement deletes the appends
// published whole and keeps the rest of a split one.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { appendOf, storeDatabase } from '../../testing/store-statements.js';
import { acknowledgeOutbox } from './acknowledge-outbox.js';
import { appendToStream } from './append-to-stream.js';
import { readOutboxBatch, type OutboxRow } from './read-outbox-batch.js';

describe('readOutboxBatch and acknowledgeOutbox', () => {
  const db = storeDatabase();
  const shape = (rows: OutboxRow[]) => rows.map((row) => `${row.topic} ${row.stream_id}@${row.stream_version}/${row.to_version}`);

  beforeAll(async () => {
    for (const append of [appendOf('s-a', 0, 2), appendOf('s-b', 0, 3, 'legal'), appendOf('s-a', 2, 3)]) {
      await db.dataSource.transaction((tx) => appendToStream(tx, append));
    }
  });

  it('reads the oldest appends first, each in version order, up to the limit (splitting an append)', async () => {
    expect(shape(await readOutboxBatch(db.dataSource, 10, []))).toEqual([
      'intake s-a@1/2',
      'intake s-a@2/2',
      'legal s-b@1/3',
      'legal s-b@2/3',
      'legal s-b@3/3',
      'intake s-a@3/3',
    ]);
    expect(shape(await readOutboxBatch(db.dataSource, 3, []))).toEqual(['intake s-a@1/2', 'intake s-a@2/2', 'legal s-b@1/3']);
  });

  it('leaves out the appends in flight', async () => {
    const [first] = await readOutboxBatch(db.dataSource, 1, []);
    expect(shape(await readOutboxBatch(db.dataSource, 10, [first!.position]))).toEqual([
      'legal s-b@1/3',
      'legal s-b@2/3',
      'legal s-b@3/3',
      'intake s-a@3/3',
    ]);
  });

  it('deletes what was published whole and keeps the rest of a split append', async () => {
    const rows = await readOutboxBatch(db.dataSource, 3, []);
    const last = rows.at(-1)!;
    await acknowledgeOutbox(db.dataSource, [rows[0]!.position], { position: last.position, fromVersion: last.stream_version + 1 });
    expect(shape(await readOutboxBatch(db.dataSource, 10, []))).toEqual(['legal s-b@2/3', 'legal s-b@3/3', 'intake s-a@3/3']);
    const rest = await readOutboxBatch(db.dataSource, 10, []);
    await acknowledgeOutbox(db.dataSource, [...new Set(rest.map((row) => row.position))], null);
    expect(await readOutboxBatch(db.dataSource, 10, [])).toEqual([]);
  });
});
