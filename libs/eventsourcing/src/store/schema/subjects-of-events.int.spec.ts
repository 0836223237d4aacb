// Which subjects ever named someone, against PostgreSQL: events of the types asked for whose data
// contains what is asked for, each subject once, whatever came after.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { appendOf, storeDatabase } from '../../testing/store-statements.js';
import { appendToStream } from './append-to-stream.js';
import { subjectsOfEvents } from './subjects-of-events.js';

describe('subjectsOfEvents', () => {
  const db = storeDatabase();
  const recipientEvents = (recipientId: string, events: Array<{ type: string; data: object }>) => {
    const append = appendOf(`recipient-${recipientId}`, 0, events.length);
    const rows = (JSON.parse(append.events) as Array<Record<string, unknown>>).map((row, index) => ({ ...row, ...events[index] }));
    return { ...append, events: JSON.stringify(rows), metadata: JSON.stringify({ subject: recipientId }) };
  };

  beforeAll(async () => {
    await db.dataSource.transaction(async (tx) => {
      await appendToStream(tx, recipientEvents('r-1', [{ type: 'RecipientRegistered', data: { follows: ['p-1', 'p-2'] } }]));
      await appendToStream(
        tx,
        recipientEvents('r-2', [
          { type: 'RecipientRegistered', data: { follows: [] } },
          { type: 'RecipientFollowsChanged', data: { follows: ['p-1'] } },
          { type: 'RecipientFollowsChanged', data: { follows: [] } },
        ]),
      );
      await appendToStream(tx, recipientEvents('r-3', [{ type: 'RecipientRegistered', data: { follows: ['p-2'] } }]));
      await appendToStream(tx, recipientEvents('r-4', [{ type: 'PersonUnfollowed', data: { follows: ['p-1'] } }]));
    });
  });

  const subjects = (types: string[], data: object) => db.dataSource.transaction((tx) => subjectsOfEvents(tx, types, data));

  it('answers every subject an event of those types named it in, once, an unfollow since included', async () => {
    expect(await subjects(['RecipientRegistered', 'RecipientFollowsChanged'], { follows: ['p-1'] })).toEqual(['r-1', 'r-2']);
    expect(await subjects(['RecipientRegistered', 'RecipientFollowsChanged'], { follows: ['p-2'] })).toEqual(['r-1', 'r-3']);
  });

  it('answers nothing when no event of those types contains it', async () => {
    expect(await subjects(['RecipientRegistered'], { follows: ['p-9'] })).toEqual([]);
    expect(await subjects(['RecipientFollowsChanged'], { follows: ['p-2'] })).toEqual([]);
  });
});
