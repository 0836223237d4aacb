// For the tests of the store's statements: a database with the event store's tables, and appends
// written straight with the append statement.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../database.js';
import { eventStoreMigrations } from '../store/event-store.migration.js';
import type { Append } from '../store/schema/append-to-stream.js';

/** A database of its own for the describe block it is called in, migrated as every service's starts. */
export function storeDatabase(): { readonly dataSource: DataSource } {
  let database: TestDatabase | undefined;
  const opened = {} as { dataSource: DataSource };
  beforeAll(async () => {
    database = await createTestDatabase();
    opened.dataSource = await openDatabase({ url: database.url, migrations: eventStoreMigrations });
  });
  afterAll(async () => {
    await opened.dataSource?.destroy();
    await database?.drop();
  });
  return opened;
}

/** An append of versions from+1..to of a stream, hashes named after their versions. */
export function appendOf(streamId: string, from: number, to: number, topic = 'intake'): Append {
  const events = [];
  for (let version = from + 1; version <= to; version += 1) {
    events.push({
      event_id: randomUUID(),
      stream_version: version,
      type: 'PrisonerReleased',
      schema_version: 1,
      data: { n: version },
      prev_hash: `h${version - 1}`,
      hash: `h${version}`,
    });
  }
  return {
    streamId,
    fromVersion: from,
    toVersion: to,
    lastHash: `h${to}`,
    events: JSON.stringify(events),
    metadata: JSON.stringify({ actor: 'caseworker-test', subject: streamId }),
    recordedAt: '2025-09-11T10:00:00.000Z',
    topic,
    notify: { channel: 'homeward_outbox_test', now: false },
  };
}
