import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import { DataSource } from 'typeorm';
import { newMasterKeyEntry, parseMasterKeys } from './master-keys.js';
import { decryptFor, encryptFor, PersonKeys, PersonKeysTable1764000000300 } from './person-keys.js';

const name = 'Hanna Inventova';

describe('person keys in PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const oldEntry = newMasterKeyEntry('m1');
  const newEntry = newMasterKeyEntry('m2');
  const keys = new PersonKeys(parseMasterKeys(oldEntry));

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [PersonKeysTable1764000000300],
      migrationsTableName: 'migrations',
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('given two transactions making the same new key at once, then both get the key that committed', async () => {
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstMade!: () => void;
    const made = new Promise<void>((resolve) => (firstMade = resolve));
    const first = dataSource.transaction(async (tx) => {
      const key = await keys.ensure(tx, 'p-race');
      firstMade();
      await firstHolds;
      return key;
    });
    await made;
    // The second insert waits on the first's uncommitted row; its snapshot predates the commit.
    const second = dataSource.transaction((tx) => keys.ensure(tx, 'p-race'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    const [a, b] = await Promise.all([first, second]);
    expect(a.state).toBe('active');
    expect(b).toEqual(a);
    await keys.destroy(dataSource.manager, 'p-race'); // the rotation below counts live keys
  });

  it('given a person, when the key is ensured twice, then it is the same key and only its wrapped form is stored', async () => {
    const first = await keys.ensure(dataSource.manager, 'p-1');
    const second = await keys.ensure(dataSource.manager, 'p-1');
    expect(first.state).toBe('active');
    expect(second).toEqual(first);
    const [row] = await dataSource.query(`SELECT wrapped_key, master_key_id FROM person_keys WHERE person_id = 'p-1'`);
    expect(row.master_key_id).toBe('m1');
    expect(Buffer.compare(row.wrapped_key, first.state === 'active' ? first.key : Buffer.alloc(0))).not.toBe(0);
  });

  it('given a forgotten person, then the key is gone, old values are unreadable (typed, no exception) and no new key is made', async () => {
    const text = encryptFor(await keys.ensure(dataSource.manager, 'p-2'), 'fullName', name);
    await dataSource.transaction((tx) => keys.destroy(tx, 'p-2'));
    const after = await keys.find(dataSource.manager, 'p-2');
    expect(after.state).toBe('forgotten');
    expect(decryptFor(after, 'fullName', text)).toEqual({ readable: false, reason: 'forgotten' });
    expect((await keys.ensure(dataSource.manager, 'p-2')).state).toBe('forgotten');
    const [row] = await dataSource.query(`SELECT wrapped_key, destroyed_at FROM person_keys WHERE person_id = 'p-2'`);
    expect(row.wrapped_key).toBeNull();
    expect(row.destroyed_at).not.toBeNull();
  });

  it('given a destruction rolled back with its transaction, then the key survives', async () => {
    const text = encryptFor(await keys.ensure(dataSource.manager, 'p-3'), 'fullName', name);
    await expect(
      dataSource.transaction(async (tx) => {
        await keys.destroy(tx, 'p-3');
        throw new Error('the append failed');
      }),
    ).rejects.toThrow('the append failed');
    expect(decryptFor(await keys.find(dataSource.manager, 'p-3'), 'fullName', text)).toEqual({ readable: true, value: name });
  });

  it('given an id never seen, then forgetting it still marks it forgotten', async () => {
    expect(await keys.destroy(dataSource.manager, 'p-unknown')).toBe(false);
    expect((await keys.find(dataSource.manager, 'p-unknown')).state).toBe('forgotten');
    expect((await keys.find(dataSource.manager, 'p-none')).state).toBe('none');
  });

  it('given a new master key, when keys are rotated in batches, then every old value decrypts under the new master key alone', async () => {
    const texts = new Map<string, string>();
    for (let i = 0; i < 7; i++)
      texts.set(`r-${i}`, encryptFor(await keys.ensure(dataSource.manager, `r-${i}`), 'fullName', `${name} ${i}`));
    const rotating = new PersonKeys(parseMasterKeys(`${newEntry},${oldEntry}`));
    const batches: number[] = [];
    const { rewrapped } = await rotating.rotate(dataSource, { batchSize: 3, onBatch: (n) => batches.push(n) });
    expect(rewrapped).toBe(9); // p-1, p-3 and the seven r-*
    expect(batches).toEqual([3, 6, 9]);
    expect(await rotating.countByMasterKey(dataSource.manager)).toEqual({ m2: 9 });

    const newOnly = new PersonKeys(parseMasterKeys(newEntry));
    for (const [id, text] of texts)
      expect(decryptFor(await newOnly.find(dataSource.manager, id), 'fullName', text)).toEqual({
        readable: true,
        value: `${name} ${id.slice(2)}`,
      });
    await expect(keys.find(dataSource.manager, 'r-0')).rejects.toThrow(/master key m2/);
    expect((await rotating.rotate(dataSource)).rewrapped).toBe(0);
  });
});
