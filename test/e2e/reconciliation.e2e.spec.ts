// Reconciliation through the real, built system: each context's own event store compared with
// audit's copy by the gateway, run by an operator with `npx homeward audit reconcile` and through
// the HTTP route, and read from /metrics. A clean system reconciles clean; then, each on a stream
// of its own, an event deleted from audit's copy (as the superuser, append-only trigger off) is
// missing, an event changed in intake's store is different, a row inserted into the copy alone is
// extra, and the newest event of a stream taken from the copy is pending within the grace period
// and missing once it is 0. Invented people only.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { root } from '@homeward/infra/common.mjs';
import { eventually } from '@homeward/testing';
import { startSystem, type System } from '../support/system.js';

const bin = path.join(root, 'tools', 'cli', 'bin', 'homeward.mjs');
const person = (fullName: string) => ({
  fullName,
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'teacher',
  birthDate: '1980-02-03',
});
const imprisonment = { charges: ['art-342'], sentenceMonths: 24, sentenceStart: '2023-04-01', facility: 'Invented colony 5' };

interface Sample {
  kind: string;
  streamId: string;
  version: number;
  eventId: string | null;
  copyEventId: string | null;
}
interface ContextRun {
  context: string;
  state: string;
  streams: number;
  events: number;
  missing: number;
  extra: number;
  different: number;
  pending: number;
  samples: Sample[];
}
interface Run {
  reconciliationId: string;
  state: string;
  clean: boolean | null;
  contexts: ContextRun[];
}

describe('reconciliation of every context with the audit copy', () => {
  let system: System;
  const operator = () => system.token('operator');

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
  });

  afterAll(async () => {
    await system?.stop();
  });

  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, HOMEWARD_URL: system.gatewayUrl, HOMEWARD_TOKEN: operator() };
      execFile(process.execPath, [bin, ...args], { env, cwd: root, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });

  /** A run through the HTTP route, followed to the end. */
  const reconcile = async (body: Record<string, unknown> = {}): Promise<Run> => {
    const started = await system.http<Run>('POST', '/v1/admin/reconciliations', { body, token: operator() });
    expect(started.status).toBe(202);
    return eventually(
      async () => (await system.http<Run>('GET', `/v1/admin/reconciliations/${started.body.reconciliationId}`, { token: operator() })).body,
      (run) => run.state === 'done',
      { timeoutMs: 60_000, what: 'the reconciliation' },
    );
  };
  const intakeOf = (run: Run) => run.contexts.find((context) => context.context === 'intake')!;
  const samplesOf = (run: Run, streamId: string) => intakeOf(run).samples.filter((sample) => sample.streamId === streamId);

  /** An invented person with two events in intake, both copied by audit; answers the stream and its event ids. */
  const personInBoth = async (fullName: string) => {
    const token = system.token('intake');
    const created = await system.http<{ id: string; eventIds: string[] }>('POST', '/v1/people', { body: person(fullName), token });
    expect(created.status).toBe(201);
    const imprisoned = await system.http<{ eventIds: string[] }>('POST', `/v1/people/${created.body.id}/imprisonment`, {
      body: imprisonment,
      token,
    });
    expect(imprisoned.status).toBe(201);
    const streamId = `person-${created.body.id}`;
    await eventually(
      () => system.http<{ total: number }>('GET', `/v1/audit/events?streamId=${streamId}`, { token: system.token('auditor') }),
      (response) => response.status === 200 && response.body.total === 2,
      { timeoutMs: 60_000, what: `audit copy of ${streamId}` },
    );
    return { streamId, eventIds: [...created.body.eventIds, ...imprisoned.body.eventIds] };
  };

  const inAudit = async (statement: string, parameters: unknown[]) => {
    const audit = await system.database('audit');
    try {
      await audit.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await audit.query(statement, parameters);
      await audit.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    } finally {
      await audit.end();
    }
  };

  it('reconciles a clean system clean: exit 0, every context compared', async () => {
    await personInBoth('Alena Cleanova');
    await personInBoth('Barys Cleanau');
    const table = await cli(['audit', 'reconcile']);
    expect(table).toMatchObject({ code: 0 });
    expect(table.stdout).toMatch(/^CONTEXT\s+STATE\s+STREAMS\s+EVENTS\s+MISSING\s+EXTRA\s+DIFFERENT\s+PENDING$/m);
    expect(table.stdout).toMatch(/^intake\s+done\s+\d+\s+\d+\s+0\s+0\s+0\s+\d+$/m);
    const json = await cli(['audit', 'reconcile', '--json']);
    expect(json.code).toBe(0);
    const run = JSON.parse(json.stdout) as Run;
    expect(run.clean).toBe(true);
    expect(run.contexts.map((context) => [context.context, context.state]).sort()).toEqual([
      ['identity-documents', 'done'],
      ['intake', 'done'],
      ['legal', 'done'],
      ['notifications', 'done'],
    ]);
    expect(intakeOf(run).streams).toBeGreaterThanOrEqual(2);
    expect(intakeOf(run).events).toBeGreaterThanOrEqual(4);
  });

  it('names an event deleted from the copy missing: exit 1 with its id', async () => {
    const { streamId, eventIds } = await personInBoth('Cira Missingova');
    await inAudit('DELETE FROM audit_events WHERE event_id = $1', [eventIds[0]]);
    const result = await cli(['audit', 'reconcile', '--context', 'intake']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^intake\\s+missing\\s+${streamId}\\s+1\\s+${eventIds[0]}\\s+-$`, 'm'));
    expect(result.stderr).toContain('the copy and the stores differ');
  });

  it("names an event changed in intake's store different, with both ids", async () => {
    const { streamId, eventIds } = await personInBoth('Dzmitry Differentau');
    const intake = await system.database('intake');
    try {
      await intake.query(`UPDATE events SET hash = encode(sha256(convert_to(hash, 'UTF8')), 'hex') WHERE event_id = $1`, [eventIds[0]]);
    } finally {
      await intake.end();
    }
    expect(samplesOf(await reconcile({ contexts: ['intake'] }), streamId)).toEqual([
      { kind: 'different', streamId, version: 1, eventId: eventIds[0], copyEventId: eventIds[0] },
    ]);
  });

  it('names a row inserted into the copy alone extra', async () => {
    const { streamId } = await personInBoth('Eva Extraja');
    const audit = await system.database('audit');
    let forged: string;
    try {
      const inserted = await audit.query<{ event_id: string }>(
        `INSERT INTO audit_events (event_id, stream_id, stream_version, type, schema_version, data, occurred_at, recorded_at, recorded_ts,
           actor, correlation_id, causation_id, subject, source, prev_hash, hash, topic, partition, kafka_offset)
         SELECT gen_random_uuid(), stream_id, 3, type, schema_version, data, occurred_at, recorded_at, recorded_ts, actor,
           correlation_id, causation_id, subject, source, hash, md5(hash) || md5(hash), topic, partition, kafka_offset
         FROM audit_events WHERE stream_id = $1 AND stream_version = 2 RETURNING event_id`,
        [streamId],
      );
      forged = inserted.rows[0]!.event_id;
    } finally {
      await audit.end();
    }
    expect(samplesOf(await reconcile({ contexts: ['intake'] }), streamId)).toEqual([
      { kind: 'extra', streamId, version: 3, eventId: null, copyEventId: forged },
    ]);
  });

  it("calls a stream's newest event taken from the copy pending within the grace, missing without one, and sets the metric", async () => {
    const { streamId, eventIds } = await personInBoth('Fiodar Pendingau');
    await inAudit('DELETE FROM audit_events WHERE event_id = $1', [eventIds[1]]);
    expect(samplesOf(await reconcile({ contexts: ['intake'], graceSeconds: 3600 }), streamId)).toEqual([
      { kind: 'pending', streamId, version: 2, eventId: eventIds[1], copyEventId: null },
    ]);
    const run = await reconcile({ contexts: ['intake'], graceSeconds: 0 });
    expect(samplesOf(run, streamId)).toEqual([{ kind: 'missing', streamId, version: 2, eventId: eventIds[1], copyEventId: null }]);
    // Every discrepancy of the earlier tests, counted per kind.
    expect(intakeOf(run)).toMatchObject({ missing: 2, extra: 1, different: 1, pending: 0 });

    const metrics = await fetch(`${system.gatewayUrl}/metrics`, { headers: { authorization: `Bearer ${operator()}` } }).then((response) =>
      response.text(),
    );
    expect(metrics).toContain('homeward_audit_reconcile_discrepancies{context="intake",kind="missing"} 2');
    expect(metrics).toContain('homeward_audit_reconcile_discrepancies{context="intake",kind="extra"} 1');
    expect(metrics).toContain('homeward_audit_reconcile_discrepancies{context="intake",kind="different"} 1');
    expect(metrics).toMatch(/^homeward_audit_reconcile_last_run_timestamp_seconds\{context="legal"\} \d+$/m);
    expect(metrics).not.toContain(streamId);
  });
});
