// The transparency log as an auditor, a witness and an attacker with the database meet it: a real
// system, the witness and the verifier run as their users run them (child processes), a person's
// bundle verified offline with the published key, then every tampering the issue names, each
// refused with the right entry named. Invented people only.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { root } from '@homeward/infra/common.mjs';
import { appendedNodes, ed25519KeyFromSeed, leafHash, signNote, verifyInclusion } from '@homeward/transparency';
import { startSystem, type System } from '../support/system.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const tools = {
  homeward: path.join(root, 'tools', 'cli', 'bin', 'homeward.mjs'),
  verify: path.join(root, 'tools', 'verify', 'homeward-verify.mjs'),
  witness: path.join(root, 'tools', 'witness', 'homeward-witness.mjs'),
};

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { ...process.env, ...env }, cwd: root, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const person = {
  fullName: 'Invented Transparency Person',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'teacher',
  birthDate: '1979-03-02',
};
const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

describe('the transparency log, end to end', () => {
  let system: System;
  let work: string;
  let witnessKey: string;
  let logKey: string;
  let personId: string;
  const eventIds: string[] = [];
  const files = { witnessKey: '', state: '', old: '' };

  const auditor = () => system.token('auditor');
  const text = async (route: string, token: string) => {
    const response = await fetch(`${system.gatewayUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  };
  const cli = (args: string[]) => run(tools.homeward, args, { HOMEWARD_URL: system.gatewayUrl, HOMEWARD_TOKEN: auditor() });
  const witness = () =>
    run(
      tools.witness,
      ['run', '--log', system.gatewayUrl, '--log-key', logKey, '--key-file', files.witnessKey, '--state', files.state, '--once'],
      { HOMEWARD_TOKEN: system.token('witness') },
    );
  const verify = (dir: string, ...args: string[]) => run(tools.verify, [dir, '--key', logKey, ...args]);
  const command = async (route: string, body: object) => {
    const answer = await system.http<{ id: string; eventIds: string[] }>('POST', route, { body, token: system.token('intake') });
    expect(answer.status).toBe(201);
    return answer.body;
  };
  /** Until the log holds the event and a checkpoint covers it. */
  const logged = (eventId: string) =>
    eventually(
      () => system.http('GET', `/v1/audit/proofs/inclusion?eventId=${eventId}`, { token: auditor() }),
      (answer) => answer.status === 200,
      { what: `event ${eventId} in a checkpoint`, timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'homeward-tlog-'));
    files.witnessKey = path.join(work, 'witness.key');
    files.state = path.join(work, 'witness-state.json');
    files.old = path.join(work, 'old.checkpoint');
    const made = await run(tools.witness, ['keygen', '--name', 'partner.example/witness', '--out', files.witnessKey]);
    expect(made.code).toBe(0);
    witnessKey = made.stdout.trim();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: { AUDIT_WITNESS_KEYS: witnessKey, AUDIT_CHECKPOINT_INTERVAL_MS: '500' },
    });
    const created = await command('/v1/people', person);
    personId = created.id;
    eventIds.push(...created.eventIds);
    eventIds.push(...(await command(`/v1/people/${personId}/imprisonment`, { sentenceMonths: 24, sentenceStart: '2024-01-15' })).eventIds);
    await logged(eventIds[1]!);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('publishes the log key, through the API and the command line alike', async () => {
    const published = await text('/v1/audit/key', auditor());
    expect(published).toMatchObject({ status: 200, type: expect.stringContaining('text/plain') });
    logKey = published.body.trim();
    expect(logKey).toMatch(/^homeward\.local\/audit\+[0-9a-f]{8}\+/);
    const key = await cli(['audit', 'key']);
    expect(key).toMatchObject({ code: 0 });
    expect(key.stdout.trim()).toBe(logKey);
  });

  it("logs a read of the person's file as a leaf, provable like an event", async () => {
    expect((await system.http('GET', `/v1/people/${personId}`, { token: system.token('legal') })).status).toBe(200);
    const entries = await system.http<{ items: Array<{ accessId: string }> }>('GET', `/v1/audit/access-log?personId=${personId}`, {
      token: auditor(),
    });
    const accessId = entries.body.items[0]!.accessId;
    const proof = await eventually(
      () =>
        system.http<{ leafIndex: number; treeSize: number; leafHash: string; path: string[] }>(
          'GET',
          `/v1/audit/proofs/inclusion?accessId=${accessId}`,
          { token: auditor() },
        ),
      (answer) => answer.status === 200,
      { what: 'the access entry in a checkpoint', timeoutMs: 30_000 },
    );
    const checkpoint = await system.http<{ items: Array<{ treeSize: number; rootHash: string }> }>(
      'GET',
      '/v1/audit/checkpoints?limit=100',
      { token: auditor() },
    );
    const signed = checkpoint.body.items.find((item) => item.treeSize === proof.body.treeSize)!;
    expect(
      verifyInclusion(b64(proof.body.leafHash), proof.body.leafIndex, proof.body.treeSize, proof.body.path.map(b64), b64(signed.rootHash)),
    ).toBe(true);
  });

  it('is witnessed: the witness cosigns the first checkpoint it sees, and each that extends it', async () => {
    const first = await witness();
    expect(first).toMatchObject({ code: 0 });
    const old = await text('/v1/audit/checkpoint', auditor());
    expect(old.status).toBe(200);
    await writeFile(files.old, old.body);
    eventIds.push(
      ...(await command(`/v1/people/${personId}/contact-lost`, { lastContactAt: '2025-09-20T10:00:00Z', reportedBy: 'family' })).eventIds,
    );
    await logged(eventIds[2]!);
    const second = await witness();
    expect(second).toMatchObject({ code: 0 });
    const state = JSON.parse(await readFile(files.state, 'utf8')) as { treeSize: number };
    const cosigned = await text(`/v1/audit/checkpoints/${state.treeSize}`, auditor());
    expect(cosigned.body).toContain('\u2014 partner.example/witness ');
  });

  let bundle: string;

  it("bundles a person's leaves, which the offline verifier accepts with the log key, the witness's and an older checkpoint", async () => {
    const state = JSON.parse(await readFile(files.state, 'utf8')) as { treeSize: number };
    bundle = path.join(work, 'bundle');
    const made = await cli(['audit', 'bundle', '--person', personId, '--cosigned', '--since', files.old, '-o', bundle, '--json']);
    expect(made).toMatchObject({ code: 0 });
    expect(JSON.parse(made.stdout)).toMatchObject({ treeSize: state.treeSize });
    const leaves = (await readFile(path.join(bundle, 'leaves.ndjson'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; entry: { eventId?: string } });
    // Intake's events, in order, among those the other contexts recorded about the person.
    const events = leaves.filter((leaf) => leaf.kind === 'event').map((leaf) => leaf.entry.eventId);
    expect(events.filter((id) => eventIds.includes(id!))).toEqual(eventIds);
    expect(leaves.some((leaf) => leaf.kind === 'access')).toBe(true);
    const verified = await verify(bundle, '--witness', witnessKey, '--since', files.old);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
  });

  /** A copy of the bundle with one file changed. */
  async function tampered(name: string, file: string, change: (content: string) => string) {
    const dir = path.join(work, name);
    await cp(bundle, dir, { recursive: true });
    await writeFile(path.join(dir, file), change(await readFile(path.join(dir, file), 'utf8')));
    return dir;
  }
  const lines = (content: string) => content.trimEnd().split('\n');
  const joined = (list: string[]) => `${list.join('\n')}\n`;

  it('refuses a bundle with one byte of one leaf changed, naming the leaf', async () => {
    const dir = await tampered('byte', 'leaves.ndjson', (content) => content.replace('"kind":"event"', '"kind":"evenT"'));
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/leaf \d+ \(line 1\)/);
  });

  it('refuses a bundle with the last event of the stream removed, even with its proof', async () => {
    const [leafLines, proofLines] = [
      lines(await readFile(path.join(bundle, 'leaves.ndjson'), 'utf8')),
      lines(await readFile(path.join(bundle, 'proofs.ndjson'), 'utf8')),
    ];
    const last = leafLines.findIndex((line) => line.includes(eventIds[2]!));
    expect(last).toBeGreaterThanOrEqual(0);
    const dir = await tampered('removed', 'leaves.ndjson', () => joined(leafLines.filter((_, i) => i !== last)));
    await writeFile(path.join(dir, 'proofs.ndjson'), joined(proofLines.filter((_, i) => i !== last)));
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^manifest: /m);
    // The leaf alone removed: the lines no longer line up, the first leaf out of place is named.
    const alone = await verify(await tampered('removed-alone', 'leaves.ndjson', () => joined(leafLines.filter((_, i) => i !== 0))));
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/leaf \d+ \(line 1\)|line \d+/);
  });

  it('refuses a bundle with two leaves swapped', async () => {
    const dir = await tampered('swapped', 'leaves.ndjson', (content) => {
      const list = lines(content);
      [list[0], list[1]] = [list[1]!, list[0]!];
      return joined(list);
    });
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/leaf \d+ \(line 1\)/);
  });

  it('refuses a checkpoint signed with another key', async () => {
    const dir = await tampered('forged', 'checkpoint', (note) =>
      signNote(note.slice(0, note.indexOf('\n\n') + 1), 'homeward.local/audit', ed25519KeyFromSeed(randomBytes(32))),
    );
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^checkpoint: /m);
  });

  it('finds history rewritten and re-hashed in the database: refused by the verifier (older checkpoint) and by the witness', async () => {
    const db = await system.database('audit');
    try {
      // The attacker changes the person's first event behind the append-only trigger…
      await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await db.query(`UPDATE audit_events SET actor = 'someone-else' WHERE event_id = $1`, [eventIds[0]]);
      await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
      const { body: proof } = await system.http<{ leafIndex: number }>('GET', `/v1/audit/proofs/inclusion?eventId=${eventIds[0]}`, {
        token: auditor(),
      });
      const { body: stream } = await system.http<{ items: Array<{ index: number; leaf: string }> }>(
        'GET',
        `/v1/audit/leaves?streamId=person-${personId}`,
        { token: auditor() },
      );
      const rewritten = stream.items.find((item) => item.index === proof.leafIndex)!.leaf;
      expect(rewritten).toContain('someone-else');
      // …and re-hashes the whole tree so that it is consistent with itself again.
      await db.query('BEGIN');
      const [{ size }] = (await db.query<{ size: string }>('SELECT size FROM tlog_head FOR UPDATE')).rows as [{ size: string }];
      const leaves = (
        await db.query<{ idx: string; hash: Buffer }>('SELECT idx, hash FROM tlog_nodes WHERE level = 0 AND idx < $1 ORDER BY idx', [size])
      ).rows.map((row): Uint8Array => new Uint8Array(row.hash));
      leaves[proof.leafIndex] = leafHash(Buffer.from(rewritten, 'utf8'));
      const nodes = appendedNodes(
        0,
        () => {
          throw new Error('an empty tree has no frontier');
        },
        leaves,
      );
      await db.query('ALTER TABLE tlog_nodes DISABLE TRIGGER USER');
      await db.query('DELETE FROM tlog_nodes');
      await db.query('INSERT INTO tlog_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
        nodes.map((n) => n.level),
        nodes.map((n) => n.index),
        nodes.map((n) => Buffer.from(n.hash)),
      ]);
      await db.query('ALTER TABLE tlog_nodes ENABLE TRIGGER USER');
      await db.query('COMMIT');
    } finally {
      await db.end();
    }
    // The log grows on the rewritten tree and signs it.
    const next = await command('/v1/people', { ...person, fullName: 'Invented Later Person' });
    await logged(next.eventIds[0]!);

    // Alone, the rewritten log is consistent with itself…
    const alone = path.join(work, 'rewritten');
    expect(await cli(['audit', 'bundle', '--person', personId, '-o', alone])).toMatchObject({ code: 0 });
    expect(await verify(alone)).toMatchObject({ code: 0 });
    // …but not with the checkpoint the auditor kept.
    const after = path.join(work, 'after');
    expect(await cli(['audit', 'bundle', '--person', personId, '--since', files.old, '-o', after])).toMatchObject({ code: 0 });
    const result = await verify(after, '--since', files.old);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/since .*history was rewritten|consistency/);

    const stateBefore = await readFile(files.state, 'utf8');
    const refused = await witness();
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/REFUSED to cosign/);
    expect(await readFile(files.state, 'utf8')).toBe(stateBefore);
  }, 120_000);
});
