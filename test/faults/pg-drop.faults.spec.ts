// PostgreSQL connections dropped under a steady command load: every few seconds every backend of
// the services' databases is terminated (pg_terminate_backend). The services reconnect and carry
// on, and a command in flight either committed (2xx, with its event and its read-model effect) or
// answered an error and left nothing behind; the hash chains still verify. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { databaseAdminUrl } from '@homeward/testing';
import { startSystem, type System } from '../support/system.js';
import { accepted, startLoad } from './command-load.js';
import { awaitDelivery, halfAppliedCommands, readDelivery, summary, verifyChains } from './delivery.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const databases = ['intake', 'identity-documents', 'legal', 'audit'] as const;

async function databaseNames(system: System): Promise<string[]> {
  const names: string[] = [];
  for (const service of databases) {
    const db = await system.database(service);
    names.push((await db.query('SELECT current_database() AS name')).rows[0].name);
    await db.end();
  }
  return names;
}

/** Terminates every session on the services' databases but our own; answers how many it ended. */
async function dropConnections(admin: pg.Client, names: string[]): Promise<number> {
  const { rows } = await admin.query(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
    [names],
  );
  return rows.filter((row: { ended: boolean }) => row.ended).length;
}

describe('faults: PostgreSQL connections dropped under load', () => {
  let system: System;
  let admin: pg.Client;

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      prefix: 'hw_faults',
      env: { NOTIFICATIONS_SIDE_EFFECTS: 'off' },
    });
    admin = new pg.Client({ connectionString: databaseAdminUrl() });
    await admin.connect();
  }, 180_000);

  afterAll(async () => {
    await admin?.end();
    await system?.stop();
  });

  it('reconnects and carries on; every command either committed whole or answered an error and wrote nothing', async () => {
    const load = startLoad(system, { workers: 4, pauseMs: 40, label: 'pg-drop' });
    const names = await databaseNames(system);
    const drops: number[] = [];
    let lastDropAt = 0;
    try {
      await sleep(3_000);
      for (let round = 0; round < 4; round += 1) {
        drops.push(await dropConnections(admin, names));
        await sleep(2_000);
      }
      lastDropAt = Date.now();
      await sleep(3_000);
    } finally {
      await load.stop();
    }
    const { outcomes } = load;

    const ok = outcomes.filter(accepted);
    const errors = outcomes.filter((o) => !accepted(o));
    const afterLastDrop = ok.filter((o) => o.startedAt > lastDropAt).length;
    const statuses = [...new Set(errors.map((o) => o.status))].sort().join('/') || 'none';

    // The producers' own stores and inline read models, straight after the load.
    const store = (await readDelivery(system, outcomes)).store;
    const halfApplied = await halfAppliedCommands(system, outcomes);
    const chains = await verifyChains(system);
    const delivery = await awaitDelivery(system, outcomes, 90_000);
    const auditVerify = await system.http<{ valid: boolean }>('GET', '/v1/audit/verify?source=intake', { token: system.token('auditor') });
    process.stdout.write(
      `faults pg-drop: drops ${drops.length} (backends terminated ${drops.join('+')}), commands ${outcomes.length}, ` +
        `accepted ${ok.length}, errors ${errors.length} (status ${statuses}), accepted after the last drop ${afterLastDrop}, ` +
        `half-applied ${halfApplied.length}, chains verified ${chains.valid}/${chains.streams}, ` +
        `audit chain ${auditVerify.body.valid ? 'valid' : 'BROKEN'}, ${summary(delivery)}\n`,
    );
    for (const line of halfApplied.slice(0, 20)) process.stdout.write(`half-applied: ${line}\n`);

    expect(drops.every((ended) => ended > 0)).toBe(true);
    expect(afterLastDrop).toBeGreaterThan(20);
    expect(store).toEqual({ seen: delivery.acceptedEvents, missing: 0, unacknowledged: 0 });
    expect(halfApplied).toEqual([]);
    expect(chains).toEqual({ streams: chains.streams, valid: chains.streams });
    expect(auditVerify.body.valid).toBe(true);
    expect(delivery.legal).toMatchObject({ missing: 0, duplicates: 0, casesMissing: 0, factsWrong: 0 });
    expect(delivery.audit).toMatchObject({ missing: 0, duplicates: 0 });
  }, 300_000);
});
