// The operator/auditor command line (tools/cli) as a user runs it: a child process talking to the
// real gateway of a real system with a token, like any client.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { root } from '@homeward/infra/common.mjs';
import { startSystem, type System } from '../support/system.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const person = (fullName: string) => ({
  fullName,
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'teacher',
  birthDate: '1981-05-17',
});
const imprisonment = { charges: ['art-342'], sentenceMonths: 24, sentenceStart: '2023-04-01', facility: 'Penal colony 3' };

const bin = path.join(root, 'tools', 'cli', 'bin', 'homeward.mjs');

/** Runs `homeward <args>` with HOMEWARD_URL / HOMEWARD_TOKEN set (token null: none at all). */
function homeward(args: string[], options: { url: string; token: string | null; command?: [string, string[]] }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_URL: options.url };
  delete env.HOMEWARD_TOKEN;
  if (options.token !== null) env.HOMEWARD_TOKEN = options.token;
  const [file, prefix] = options.command ?? [process.execPath, [bin]];
  return new Promise((resolve) => {
    execFile(file, [...prefix, ...args], { env, cwd: root, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('homeward command line against the real gateway', () => {
  let system: System;
  const run = (args: string[], token: string | null) => homeward(args, { url: system.gatewayUrl, token });

  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'homeward-cli-'));
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
  });

  afterAll(async () => {
    await system?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** An invented person with two events (registered, imprisoned) in intake; returns the stream id. */
  const registerPerson = async (fullName: string) => {
    const token = system.token('intake');
    const created = await system.http<{ id: string }>('POST', '/v1/people', { body: person(fullName), token });
    expect(created.status).toBe(201);
    expect((await system.http('POST', `/v1/people/${created.body.id}/imprisonment`, { body: imprisonment, token })).status).toBe(201);
    return `person-${created.body.id}`;
  };

  /** Waits until the audit service holds `count` events of the stream. */
  const auditCopied = (streamId: string, count: number) =>
    eventually(
      () => system.http<{ total: number }>('GET', `/v1/audit/events?streamId=${streamId}`, { token: system.token('auditor') }),
      (response) => response.status === 200 && response.body.total >= count,
      { timeoutMs: 60_000, what: `audit copy of ${streamId}` },
    );

  it('lists the projections as JSON and as a table for an operator', async () => {
    const json = await run(['projections', '--json'], system.token('operator'));
    expect(json).toMatchObject({ code: 0 });
    const body = JSON.parse(json.stdout) as {
      items: Array<{ service: string; name: string; kind: string; state: string }>;
      unavailable: string[];
    };
    expect(body.unavailable).toEqual([]);
    expect(body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: 'intake', name: 'person_file', state: 'live' })]),
    );
    const text = await run(['projections'], system.token('operator'));
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^SERVICE\s+NAME\s+KIND\s+STATE\s+LAG/);
    expect(text.stdout).toMatch(/^intake\s+person_file\s+\S+\s+live\s/m);
  });

  it('rebuilds a projection and follows the job to done, progress on stderr as plain lines', async () => {
    await registerPerson('Ina Rebuildova');
    const result = await run(['rebuild', 'intake', 'person_file', '--wait', '--json'], system.token('operator'));
    expect(result.code).toBe(0);
    const job = JSON.parse(result.stdout) as { jobId: string; state: string; eventsDone: number; eventsTotal: number };
    expect(job).toMatchObject({ jobId: expect.stringMatching(/^intake:/), state: 'done' });
    expect(job.eventsDone).toBeGreaterThanOrEqual(2);
    expect(job.eventsDone).toBe(job.eventsTotal);
    expect(result.stderr).toContain('rebuild intake/person_file: done');
    expect(result.stderr).not.toContain('\r');
  });

  it('replays a stream and follows the job', async () => {
    const streamId = await registerPerson('Ivo Replayski');
    const result = await run(['replay', 'intake', '--stream', streamId, '--wait', '--json'], system.token('operator'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'done', eventsDone: 2 });
  });

  it('lists the dead letters (none here)', async () => {
    const result = await run(['dead-letters', '--json'], system.token('operator'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ items: [], unavailable: [] });
    expect((await run(['dead-letters'], system.token('operator'))).stdout).toBe('no dead letters\n');
  });

  it('verifies an intact chain (exit 0) and exports the events of a stream as NDJSON', async () => {
    const streamId = await registerPerson('Olga Auditova');
    await auditCopied(streamId, 2);
    const auditor = system.token('auditor');
    const verified = await run(['audit', 'verify', '--stream', streamId], auditor);
    expect(verified).toMatchObject({ code: 0, stdout: `stream ${streamId}: chain intact (2 events checked)\n` });
    const source = await run(['audit', 'verify', '--source', 'intake', '--json'], auditor);
    expect(source.code).toBe(0);
    expect(JSON.parse(source.stdout)).toMatchObject({ source: 'intake', valid: true, broken: [] });

    const toStdout = await run(['audit', 'export', '--stream', streamId], auditor);
    expect(toStdout.code).toBe(0);
    const lines = toStdout.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { streamId: string; streamVersion: number });
    expect(lines.map((line) => [line.streamId, line.streamVersion])).toEqual([
      [streamId, 1],
      [streamId, 2],
    ]);
    expect(toStdout.stderr).toContain('exported 2 events');

    const file = path.join(workDir, 'export.ndjson');
    const toFile = await run(['audit', 'export', '--stream', streamId, '-o', file], auditor);
    expect(toFile).toMatchObject({ code: 0, stdout: '' });
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('exits 1 naming the first broken event when a stored event was altered', async () => {
    const streamId = await registerPerson('Pavel Tamperov');
    await auditCopied(streamId, 2);
    const db = await system.database('audit');
    let eventId: string;
    try {
      // Only a superuser with the append-only trigger switched off can do this; verification still names it.
      await db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      const altered = await db.query<{ event_id: string }>(
        `UPDATE audit_events SET data = data || '{"facility":"Elsewhere"}'::jsonb
         WHERE stream_id = $1 AND stream_version = 2 RETURNING event_id`,
        [streamId],
      );
      eventId = altered.rows[0]!.event_id;
      await db.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    } finally {
      await db.end();
    }
    const result = await run(['audit', 'verify', '--stream', streamId], system.token('auditor'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`chain broken at event ${eventId} (stream ${streamId}, version 2): hash-mismatch`);
  });

  it('is installed as the workspace bin: npx homeward help', async () => {
    const result = await homeward(['help'], { url: system.gatewayUrl, token: null, command: ['npx', ['--no-install', 'homeward']] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('homeward rebuild <service> <name> [--wait] [--json]');
    expect(result.stdout).toContain('homeward audit export');
  });

  it('exits 2 with the way to get a token when there is none, before calling the gateway', async () => {
    const result = await run(['projections'], null);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('get one with npm run -s token -- --role operator');
  });

  it('exits 2 on wrong usage', async () => {
    const result = await run(['replay', 'intake', '--from', '2025-09-01T00:00:00Z'], system.token('operator'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('replay needs both --from and --to');
    // The gateway's own validation-failed answer is a usage error too.
    const refused = await run(['rebuild', 'intake', 'Person-File'], system.token('operator'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('400 ');
    expect(refused.stderr).toContain('name must be a read model name');
  });

  it('refuses an auditor rebuilding a projection: exit 1 with the 403 problem, and never prints the token', async () => {
    const token = system.token('auditor');
    const result = await run(['rebuild', 'intake', 'person-file', '--wait'], token);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('POST /v1/admin/projections/intake/person-file/rebuild: 403 ');
    expect(result.stderr).toContain('403 Forbidden');
    expect(result.stdout).toBe('');
    expect(`${result.stdout}${result.stderr}`).not.toContain(token);
  });

  it('exits 1 with a hint when the gateway refuses the token', async () => {
    const token = `${system.token('operator')}x`;
    const result = await run(['projections', '--json'], token);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401 ');
    expect(result.stderr).toContain('get a fresh one');
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(token);
  });

  it('exits 1 when the gateway cannot be reached', async () => {
    const result = await homeward(['projections'], { url: 'http://127.0.0.1:9', token: system.token('operator') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the gateway at http://127.0.0.1:9');
  });
});
