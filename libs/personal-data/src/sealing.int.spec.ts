// The event store's sealer against the real PostgreSQL: what the inventory classifies personal or
// identifying is stored as ciphertext bound to the stream's subject, a refused append writes
// nothing, and the Idempotency-Key fingerprint is keyed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, eventStoreMigrations, requestHash, type CommandContext } from '@homeward/eventsourcing';
import { createTestDatabase, uniqueName, type TestDatabase } from '@homeward/testing';
import { DataSource } from 'typeorm';
import { newMasterKeyEntry, parseMasterKeys, requestKeyOf } from './master-keys.js';
import { decryptFor, PersonKeys, PersonKeysTable1764000000300 } from './person-keys.js';
import { openMessage, personalDataSealer } from './sealing.js';

const personId = '0190a000-0000-7000-8000-00000000c0de';
const detention = {
  personId,
  kind: 'punishment-cell',
  periodFrom: '2024-03-01',
  periodTo: '',
  account: 'Forty invented days in a punishment cell.',
};
const imprisonment = {
  personId,
  charges: ['invented charge'],
  sentenceMonths: 24,
  sentenceStart: '2024-01-01',
  expectedRelease: '',
  facility: 'Invented colony No. 9',
};
const context = (idempotencyKey?: string): CommandContext => ({
  actor: 'test',
  correlationId: 'c',
  causationId: '',
  occurredAt: '2025-09-11T08:00:00.000Z',
  ...(idempotencyKey ? { idempotencyKey } : {}),
});
const emits = (...events: Array<{ type: string; data: object }>) => ({
  decide: () => events,
  evolve: (state: null) => state,
  initialState: () => null,
});

describe('sealing personal data into events', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const masterKeys = parseMasterKeys(newMasterKeyEntry('m1'));
  const keys = new PersonKeys(masterKeys);
  let store: EventStore;
  const target = { streamId: `person-${personId}`, subject: personId };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [...eventStoreMigrations, PersonKeysTable1764000000300],
      migrationsTableName: 'migrations',
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    store = new EventStore(dataSource, {
      source: 'intake',
      topic: uniqueName('test.sealing'),
      sealer: personalDataSealer({ context: 'intake', keys }),
      requestKey: requestKeyOf(masterKeys, 'intake'),
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const stored = async (type: string) =>
    (
      (await dataSource.query(`SELECT data FROM events WHERE stream_id = $1 AND type = $2`, [target.streamId, type])) as Array<{
        data: Record<string, unknown>;
      }>
    )[0]!.data;

  it('stores personal and identifying values as ciphertext, the rest as given', async () => {
    await store.handle(
      emits({ type: 'ImprisonmentRecorded', data: imprisonment }, { type: 'DetentionConditionReported', data: detention }),
      null,
      target,
      context(),
    );
    const text = JSON.stringify([await stored('ImprisonmentRecorded'), await stored('DetentionConditionReported')]);
    for (const secret of ['Forty invented days', 'invented charge', 'Invented colony']) expect(text).not.toContain(secret);
    const account = (await stored('DetentionConditionReported'))['account'] as string;
    expect(account).toMatch(/^enc:v2:/);
    expect(await stored('ImprisonmentRecorded')).toMatchObject({ sentenceMonths: 24, sentenceStart: '2024-01-01' });
    const key = await keys.find(dataSource.manager, personId);
    expect(openMessage('homeward.intake.v1.ImprisonmentRecorded', await stored('ImprisonmentRecorded'), key)).toEqual(imprisonment);
    expect(decryptFor(key, 'account', account)).toEqual({ readable: true, value: detention.account });
    // Moved to another field it does not open.
    expect(decryptFor(key, 'facility', account)).toEqual({ readable: false, reason: 'corrupt' });
  });

  it('keys the Idempotency-Key fingerprint: it is not the plain hash of the request', async () => {
    const request = { command: 'ReportDetentionCondition', ...detention };
    await store.handle(emits({ type: 'DetentionConditionReported', data: detention }), null, target, context('idem-1'), { request });
    const [row] = (await dataSource.query(`SELECT request_hash FROM idempotency_keys WHERE key = 'idem-1'`)) as Array<{
      request_hash: string;
    }>;
    expect(row!.request_hash).not.toBe(requestHash(request));
    expect(row!.request_hash).toBe(requestHash(request, requestKeyOf(masterKeys, 'intake')));
  });

  it('refuses to seal for an erased person, writing nothing; an event with nothing to seal still goes through', async () => {
    await keys.destroy(dataSource.manager, personId);
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM events`);
    await expect(
      store.handle(emits({ type: 'DetentionConditionReported', data: detention }), null, target, context()),
    ).rejects.toMatchObject({ code: 'person.forgotten' });
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM events`)).toEqual(before);
    const forgotten = { type: 'PersonForgotten', data: { personId, forgottenAt: '2025-10-01T00:00:00.000Z' } };
    await expect(store.handle(emits(forgotten), null, target, context())).resolves.toMatchObject({ eventIds: [expect.any(String)] });
  });
});
