import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../database.js';
import { context, releaseDecider } from '../testing/release-decider.js';
import { EventStore } from './event-store.js';
import { eventStoreMigrations } from './event-store.migration.js';
import { OUTBOX_CHANNEL, OutboxWakeUp } from './outbox-wake-up.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OutboxWakeUp against PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: EventStore;
  let listener: pg.Client;
  /** What a relay woken by each notification would have seen in the outbox. */
  const seenAtWakeUps: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, migrations: eventStoreMigrations });
    store = new EventStore(dataSource, { source: 'intake', topic: 'test.events' });
    listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const reader = new pg.Client({ connectionString: database.url });
    await reader.connect();
    let reading = Promise.resolve();
    listener.on('notification', () => {
      reading = reading.then(async () => {
        seenAtWakeUps.push(Number((await reader.query('SELECT count(*) FROM outbox')).rows[0].count));
      });
    });
    afterAllClose.push(() => reading.then(() => reader.end()));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  });

  const afterAllClose: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await listener.end();
    for (const close of afterAllClose) await close();
    await dataSource.destroy();
    await database.drop();
  });

  const quiet = async () => {
    for (let before = -1; before !== seenAtWakeUps.length;) {
      before = seenAtWakeUps.length;
      await sleep(300);
    }
  };

  it('wakes the relay after the commits, coalescing those that land together, so the last wake-up sees every event', async () => {
    const wakeUp = OutboxWakeUp.of(dataSource);
    const sentBefore = wakeUp.sent;
    const appends = 60;
    await Promise.all(
      Array.from({ length: appends }, (_, n) =>
        store.handle(
          releaseDecider,
          { type: 'Release', personId: `w-${n}`, days: n },
          { streamId: `person-w-${n}`, subject: `w-${n}` },
          context(),
        ),
      ),
    );
    await quiet();
    const notifications = wakeUp.sent - sentBefore;
    process.stdout.write(
      `wake-up: ${appends} commits, ${notifications} notifications, outbox rows seen at the last one ${seenAtWakeUps.at(-1)}\n`,
    );
    expect(notifications).toBeGreaterThan(0);
    expect(notifications).toBeLessThanOrEqual(appends);
    expect(seenAtWakeUps.at(-1)).toBe(appends);
  });

  it('sends nothing for a transaction that rolls back, and notifies in the statement outside a transaction', async () => {
    const wakeUp = OutboxWakeUp.of(dataSource);
    await quiet();
    const sentBefore = wakeUp.sent;
    const heardBefore = seenAtWakeUps.length;
    await expect(
      dataSource.transaction(async (tx) => {
        await store.handleIn(
          tx,
          releaseDecider,
          { type: 'Release', personId: 'r-1', days: 1 },
          { streamId: 'person-r-1', subject: 'r-1' },
          context(),
        );
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await quiet();
    expect(wakeUp.sent).toBe(sentBefore);
    expect(seenAtWakeUps.length).toBe(heardBefore);

    // No transaction to wait for (the manager autocommits each statement): the append notifies.
    await store.handleIn(
      dataSource.manager,
      releaseDecider,
      { type: 'Release', personId: 'a-1', days: 1 },
      { streamId: 'person-a-1', subject: 'a-1' },
      context(),
    );
    await quiet();
    expect(wakeUp.sent).toBe(sentBefore);
    expect(seenAtWakeUps.length).toBe(heardBefore + 1);
  });
});
