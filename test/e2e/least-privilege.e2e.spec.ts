// Least privilege in the databases of the real, built system: every service migrates as its
// database's owner role and serves as its runtime role, which can read and write rows but alter
// nothing; audit's runtime role can neither change nor remove an audit row nor touch the
// append-only triggers. The system works as usual meanwhile: a registration reaches the audit
// copy, and every read model is rebuilt (the operator's jobs swap tables as the owner).
// Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { databaseNameFor, rolesFor } from '@homeward/infra/postgres.mjs';
import { listProjections, rebuildAll } from '../support/operations.js';
import { startSystem, type ServiceName, type System } from '../support/system.js';

type BackEnd = Exclude<ServiceName, 'gateway'>;
const backEnds: BackEnd[] = ['intake', 'identity-documents', 'legal', 'notifications', 'audit'];
const auditTables = ['audit_events', 'access_log', 'chain_breaks'];

describe('database roles of the running system', () => {
  let system: System;
  let personId: string;

  /** Runs each statement as the service's runtime role (the admin session takes on the role) and answers the error codes. */
  async function asRuntime(service: BackEnd, statements: string[]): Promise<string[]> {
    const db = await system.database(service);
    const codes: string[] = [];
    try {
      await db.query(`SET ROLE ${rolesFor(databaseNameFor(service, system.prefix)).runtime}`);
      for (const statement of statements)
        codes.push(
          await db.query(statement).then(
            () => 'ok',
            (error: { code: string }) => error.code,
          ),
        );
    } finally {
      await db.end();
    }
    return codes;
  }

  beforeAll(async () => {
    system = await startSystem([...backEnds, 'gateway']);
    const created = await system.http<{ id: string }>('POST', '/v1/people', {
      body: { fullName: 'Roles Invented', citizenships: ['BY'], foreignNational: false, occupation: 'teacher', birthDate: '1981-05-04' },
      token: system.token('intake'),
    });
    expect(created.status).toBe(201);
    personId = created.body.id;
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('connects every service as its runtime role, which owns nothing', async () => {
    for (const service of backEnds) {
      const { owner, runtime } = rolesFor(databaseNameFor(service, system.prefix));
      const db = await system.database(service);
      try {
        const sessions = await db.query(
          `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
          [service],
        );
        expect({ service, roles: sessions.rows.map((row) => row.usename) }).toEqual({ service, roles: [runtime] });
        const owners = await db.query(
          `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class
           WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')`,
        );
        expect({ service, owners: owners.rows.map((row) => row.owner) }).toEqual({ service, owners: [owner] });
      } finally {
        await db.end();
      }
    }
  });

  it('copies the registration to audit and rebuilds every read model, as usual', async () => {
    const audit = await system.database('audit');
    try {
      await eventually(
        async () => (await audit.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject = $1`, [personId])).rows[0].n,
        (n: number) => n > 0,
        { what: 'the registration in the audit copy' },
      );
    } finally {
      await audit.end();
    }
    const jobs = await rebuildAll(system, await listProjections(system));
    expect(jobs.length).toBeGreaterThan(5);
    expect(jobs.filter((job) => job.state !== 'done')).toEqual([]);
  });

  it.each(backEnds)('refuses the runtime role of %s every change of its tables', async (service) => {
    expect(
      await asRuntime(service, [
        `CREATE TABLE intruder (id int)`,
        `ALTER TABLE events ADD COLUMN intruder int`,
        `ALTER TABLE checkpoints ADD COLUMN intruder int`,
        `DROP TABLE outbox`,
        `TRUNCATE inbox`,
        `UPDATE events SET type = type`,
        `DELETE FROM events`,
      ]),
    ).toEqual(Array(7).fill('42501'));
    // Rebuilt read models are the owner's too.
    const readModels = (await listProjections(system)).filter((item) => item.service === service).map((item) => item.name);
    expect(
      await asRuntime(
        service,
        readModels.map((table) => `ALTER TABLE ${table} ADD COLUMN intruder int`),
      ),
    ).toEqual(readModels.map(() => '42501'));
  });

  it("refuses audit's runtime role changing or removing audit rows, and dropping or disabling their triggers", async () => {
    const statements = auditTables.flatMap((table) => [
      `UPDATE ${table} SET id = id`,
      `DELETE FROM ${table}`,
      `TRUNCATE ${table}`,
      `DROP TRIGGER ${table}_append_only ON ${table}`,
      `ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`,
      `ALTER TABLE ${table} DISABLE TRIGGER ALL`,
    ]);
    expect(await asRuntime('audit', [...statements, `DROP FUNCTION audit_append_only() CASCADE`])).toEqual(
      Array(statements.length + 1).fill('42501'),
    );
  });
});
