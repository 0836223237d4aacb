// The rotation command (infra/rotate-master-key.mjs) against a real database: every data key is
// rewrapped under the new master key, old values still decrypt, the old master key is no longer
// needed, and the command prints ids and counts, never a key.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import { DataSource } from 'typeorm';
import { newMasterKeyEntry, parseMasterKeys } from './master-keys.js';
import { decryptFor, encryptFor, PersonKeys, PersonKeysTable1764000000300 } from './person-keys.js';

const script = fileURLToPath(new URL('../../../infra/rotate-master-key.mjs', import.meta.url));
const run = promisify(execFile);

describe('rotating the master key with infra/rotate-master-key.mjs', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const oldEntry = newMasterKeyEntry('old-1');
  const newEntry = newMasterKeyEntry('new-2');
  const values = new Map<string, string>();

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
    const keys = new PersonKeys(parseMasterKeys(oldEntry));
    for (let i = 0; i < 5; i++)
      values.set(`person-${i}`, encryptFor(await keys.ensure(dataSource.manager, `person-${i}`), 'fullName', `Invented Name ${i}`));
    await keys.destroy(dataSource.manager, 'person-4');
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('given keys under the old master key, when run with the new one first, then all live keys move and still open', async () => {
    const { stdout, stderr } = await run(process.execPath, [script, '--database-url', database.url, '--batch', '2'], {
      env: { ...process.env, HOMEWARD_MASTER_KEYS: `${newEntry},${oldEntry}` },
    });
    expect(stdout).toContain(`rewrapped 4 data keys under new-2; live keys per master key: {"new-2":4}`);
    expect(stderr).toContain('4 data keys rewrapped');
    for (const entry of [oldEntry, newEntry]) expect(`${stdout}${stderr}`).not.toContain(entry.split(':')[1]);

    const newOnly = new PersonKeys(parseMasterKeys(newEntry));
    for (let i = 0; i < 4; i++) {
      expect(decryptFor(await newOnly.find(dataSource.manager, `person-${i}`), 'fullName', values.get(`person-${i}`)!)).toEqual({
        readable: true,
        value: `Invented Name ${i}`,
      });
    }
    expect(decryptFor(await newOnly.find(dataSource.manager, 'person-4'), 'fullName', values.get('person-4')!)).toEqual({
      readable: false,
      reason: 'forgotten',
    });
  });

  it('refuses to run in production without HOMEWARD_MASTER_KEYS', async () => {
    const { HOMEWARD_MASTER_KEYS: _unset, HOMEWARD_DEV: _development, ...env } = process.env;
    await expect(run(process.execPath, [script, '--database-url', database.url], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('HOMEWARD_MASTER_KEYS is required in production'),
    });
  });
});
