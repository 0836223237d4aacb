#!/usr/bin/env node
// Rewraps every personal data key under the current master key (the first of HOMEWARD_MASTER_KEYS),
// in batches, in the databases of the services that hold personal fields (personalDataServices in
// common.mjs: intake, identity-documents, legal, notifications). Events and every other
// ciphertext stay as they are: they are encrypted with the data keys, which do not change.
//
// Rotation, in production:
//   1. HOMEWARD_MASTER_KEYS="<new id>:<new key>,<old id>:<old key>" for those services; restart them.
//   2. HOMEWARD_MASTER_KEYS=(the same) node infra/rotate-master-key.mjs --database-url <each of their databases>
//   3. When it reports 0 keys left under the old id, drop the old key from the variable; restart.
// In development (the key under .local/dev-keys): node infra/rotate-master-key.mjs --new-dev-key
// adds a new current key to that file and rewraps; restart the services afterwards.
//
// Usage: node infra/rotate-master-key.mjs [--database-url URL]... [--batch 500] [--new-dev-key]
//   without --database-url: those services' databases on DATABASE_URL
//   (HOMEWARD_DATABASE_PREFIX as for npm start).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
// The built library (npm start and npm test build it) and TypeORM from the workspace.
import { newMasterKeyEntry, parseMasterKeys, PersonKeys } from '@homeward/personal-data';
import { DataSource } from 'typeorm';
import { defaultDatabaseUrl, log, personalDataServices } from './common.mjs';
import { devMasterKeysPath, ensureDevMasterKeys } from './dev-keys.mjs';
import { databaseNameFor } from './postgres.mjs';

function databaseUrlFor(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Prepends a new key to the dev file; the old ones stay for unwrapping. */
function addDevKey() {
  const current = ensureDevMasterKeys();
  const ids = current.split(',').map((entry) => entry.split(':')[0]);
  const next = Math.max(0, ...ids.map((id) => Number(/^dev-(\d+)$/.exec(id)?.[1] ?? 0))) + 1;
  writeFileSync(devMasterKeysPath, `${newMasterKeyEntry(`dev-${next}`)},${current}`, { mode: 0o600 });
  return readFileSync(devMasterKeysPath, 'utf8').trim();
}

async function main() {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string', multiple: true },
      batch: { type: 'string', default: '500' },
      'new-dev-key': { type: 'boolean', default: false },
    },
  });
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch must be a positive integer');
  const production = process.env.HOMEWARD_DEV !== '1';
  if (values['new-dev-key'] && production) throw new Error('--new-dev-key is for development only (HOMEWARD_DEV=1)');

  let spec = process.env.HOMEWARD_MASTER_KEYS?.trim();
  if (values['new-dev-key']) spec = addDevKey();
  if (!spec && production) throw new Error('HOMEWARD_MASTER_KEYS is required in production');
  const masterKeys = parseMasterKeys(spec || ensureDevMasterKeys());
  const keys = new PersonKeys(masterKeys);

  const urls =
    values['database-url'] ??
    personalDataServices.map((service) => databaseUrlFor(process.env.DATABASE_URL ?? defaultDatabaseUrl, databaseNameFor(service)));
  for (const url of urls) {
    const name = new URL(url).pathname.slice(1);
    const dataSource = new DataSource({ type: 'postgres', url, poolSize: 2, applicationName: 'homeward-rotate-master-key' });
    await dataSource.initialize();
    try {
      const { rewrapped } = await keys.rotate(dataSource, {
        batchSize,
        onBatch: (done) => process.stderr.write(`[homeward] ${name}: ${done} data keys rewrapped\n`),
      });
      const left = await keys.countByMasterKey(dataSource.manager);
      // Ids and counts only: never a key.
      log(`${name}: rewrapped ${rewrapped} data keys under ${masterKeys.current.id}; live keys per master key: ${JSON.stringify(left)}`);
    } finally {
      await dataSource.destroy();
    }
  }
  if (values['new-dev-key']) log(`new current master key ${masterKeys.current.id} in ${devMasterKeysPath}: restart the services`);
}

main().catch((error) => {
  process.stderr.write(`[homeward] rotation failed: ${error.message}\n`);
  process.exit(1);
});
