// A stream's subject against PostgreSQL: the one its events were appended about, or none.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { appendOf, storeDatabase } from '../../testing/store-statements.js';
import { appendToStream } from './append-to-stream.js';
import { streamSubject } from './stream-subject.js';

describe('streamSubject', () => {
  const db = storeDatabase();

  beforeAll(async () => {
    await db.dataSource.transaction(async (tx) => {
      await appendToStream(tx, { ...appendOf('case-1', 0, 2), metadata: JSON.stringify({ subject: 'person-1' }) });
      await appendToStream(tx, { ...appendOf('case-2', 0, 1), metadata: JSON.stringify({ subject: 'person-2' }) });
    });
  });

  it('answers the subject of the stream asked about', async () => {
    expect(await db.dataSource.transaction((tx) => streamSubject(tx, 'case-1'))).toBe('person-1');
    expect(await db.dataSource.transaction((tx) => streamSubject(tx, 'case-2'))).toBe('person-2');
  });

  it('answers null for a stream that has no events', async () => {
    expect(await db.dataSource.transaction((tx) => streamSubject(tx, 'case-none'))).toBeNull();
  });
});
