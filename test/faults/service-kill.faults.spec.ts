// Consumers SIGKILLed in the middle of a batch and started again: a release batch is imported
// through the gateway, and while legal (rules, cases, facts) and audit (the verbatim copy) are
// consuming its events both are killed, then restarted. Afterwards no read-model row is missing
// and none is there twice. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { septemberRows, toCsv } from '../support/september-batch.js';
import { startSystem, type System } from '../support/system.js';
import { ids, query } from './delivery.js';

const batchId = 'batch-faults-2025-09-11';
const copies = 2; // the 52 September rows, twice over with refs of their own: 104 people

interface ImportAnswer {
  rows: Array<{ externalRef: string; outcome: string; personId?: string }>;
}

describe('faults: consumers killed mid-batch', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      prefix: 'hw_faults',
      env: { NOTIFICATIONS_SIDE_EFFECTS: 'off' },
    });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('loses and duplicates no read-model row when legal and audit are killed while consuming a batch', async () => {
    const rows = Array.from({ length: copies }, (_, copy) =>
      septemberRows().map((row) => ({ ...row, externalRef: `${row.externalRef}-${copy}` })),
    ).flat();
    const token = system.token('intake');
    const announced = await system.http('POST', '/v1/release-batches', {
      token,
      body: {
        batchId,
        date: '2025-09-11',
        announcedCount: rows.length,
        brokeredBy: 'United States',
        conditions: 'released on condition of leaving the country',
      },
    });
    expect(announced.status).toBe(201);
    const importing = system.http<ImportAnswer>('POST', `/v1/release-batches/${batchId}/import`, {
      token,
      raw: toCsv(rows),
      headers: { 'content-type': 'text/csv' },
      timeoutMs: 120_000,
    });

    // Kill once legal has applied part of the batch, so that it dies with a batch in hand.
    const inboxAtKill = await eventually(
      async () => Number((await query<{ n: string }>(system, 'legal', 'SELECT count(*) AS n FROM inbox'))[0]!.n),
      (n) => n >= 80,
      { timeoutMs: 60_000, intervalMs: 50, what: 'legal to be part-way through the batch' },
    );
    await Promise.all([system.kill('legal', 'SIGKILL'), system.kill('audit', 'SIGKILL')]);
    // Back while the import still runs; together, as each restart waits for the gateway's health,
    // which needs the other one too.
    await Promise.all([system.restart('legal'), system.restart('audit')]);
    const imported = await importing;
    expect(imported.status).toBe(200);
    expect(imported.body.rows.filter((row) => row.outcome === 'created')).toHaveLength(rows.length);

    const people = new Set(imported.body.rows.map((row) => row.personId!));
    const intakeEvents = await ids(system, 'intake', 'SELECT event_id::text AS id FROM events');
    const count = (set: Set<string>, of: Set<string>) => [...of].filter((id) => set.has(id)).length;
    const settled = await eventually(
      async () => {
        const inbox = await ids(system, 'legal', 'SELECT event_id::text AS id FROM inbox');
        const cases = await query<{ person: string }>(system, 'legal', `SELECT doc->>'personId' AS person FROM legal_cases`);
        const facts = await query<{ id: string }>(system, 'legal', 'SELECT id FROM person_facts');
        const legalEvents = await ids(system, 'legal', 'SELECT event_id::text AS id FROM events');
        const audit = await query<{ id: string; stream: string; version: number }>(
          system,
          'audit',
          'SELECT event_id::text AS id, stream_id AS stream, stream_version AS version FROM audit_events',
        );
        return { inbox, cases, facts, legalEvents, audit, auditIds: new Set(audit.map((row) => row.id)) };
      },
      (s) =>
        count(s.inbox, intakeEvents) === intakeEvents.size &&
        s.cases.length >= people.size &&
        count(s.auditIds, intakeEvents) === intakeEvents.size &&
        count(s.auditIds, s.legalEvents) === s.legalEvents.size,
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'legal and audit to have the whole batch after the restart' },
    );
    const [legalDuplicates] = await query<{ n: string }>(
      system,
      'legal',
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'LegalCaseOpened' GROUP BY data->>'personId' HAVING count(*) > 1) a)
            + (SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'ViolationFlagged'
                                     GROUP BY stream_id, data->>'violationId' HAVING count(*) > 1) b) AS n`,
    );
    const caseIds = settled.cases.map((row) => row.person);
    const distinctCases = new Set(caseIds).size;
    const distinctAudit = new Set(settled.audit.map((row) => `${row.stream}/${row.version}`)).size;
    const duplicates = caseIds.length - distinctCases + (settled.audit.length - distinctAudit) + Number(legalDuplicates!.n);
    const missing =
      intakeEvents.size -
      count(settled.inbox, intakeEvents) +
      [...people].filter((id) => !caseIds.includes(id)).length +
      [...people].filter((id) => !settled.facts.some((row) => row.id === id)).length;
    process.stdout.write(
      `faults service-kill: imported ${people.size} people, intake events ${intakeEvents.size}, legal killed after ${inboxAtKill}, ` +
        `seen ${count(settled.inbox, intakeEvents)} in legal, ${count(settled.auditIds, intakeEvents)} in audit ` +
        `(+${count(settled.auditIds, settled.legalEvents)} of legal's ${settled.legalEvents.size}), ` +
        `cases ${caseIds.length} (distinct ${distinctCases}), facts ${settled.facts.length}, ` +
        `duplicates ${duplicates}, missing ${missing}\n`,
    );

    expect(people.size).toBe(rows.length);
    expect(intakeEvents.size).toBe(rows.length * 4 + 1); // four per row, and the announcement
    expect(duplicates).toBe(0);
    expect(missing).toBe(0);
    expect(settled.facts).toHaveLength(people.size);
    expect(distinctCases).toBe(people.size);
  }, 300_000);
});
