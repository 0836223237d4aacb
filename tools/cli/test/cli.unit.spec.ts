// The command line without a gateway: argument parsing, formatting, and the commands against a
// scripted fetch (the real gateway is in test/e2e/cli.e2e.spec.ts).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  checkpointBody,
  consistencyProof,
  inclusionProof,
  leafHash,
  publicKeyOf,
  rootAt,
  signNote,
  treeOf,
  verifierKeyOf,
} from '@homeward/transparency';
import { main as homewardVerify } from '@homeward/verify/homeward-verify.mjs';
import { parseCommand, UsageError } from '../src/args.mjs';
import { formatDuration, progressBar, progressLine, problemMessage, table } from '../src/format.mjs';
import { main } from '../src/main.mjs';

const TOKEN = 'eyJ.secret-token.sig';
const env = { HOMEWARD_TOKEN: TOKEN };

function usage(argv: string[], environment: Record<string, string> = env): string {
  try {
    parseCommand(argv, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

class Sink {
  text = '';
  isTTY = false;
  columns = 80;
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }
}

type Route = (request: { method: string; url: string; body: unknown; headers: Record<string, string> }) => {
  status?: number;
  body: unknown;
  type?: string;
};

async function run(argv: string[], route: Route, environment: Record<string, string> = env, { tty = false } = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
  stderr.isTTY = tty;
  const requests: { method: string; url: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetchImpl = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
    const request = { method: init.method, url, body: init.body === undefined ? undefined : JSON.parse(init.body), headers: init.headers };
    requests.push(request);
    const answer = route(request);
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status ?? 200, headers: { 'content-type': answer.type ?? 'application/json' } });
  };
  let clock = 0;
  const code = await main(argv, { env: environment, stdout, stderr, fetchImpl, sleep: async () => undefined, now: () => (clock += 1000) });
  return { code, stdout: stdout.text, stderr: stderr.text, requests };
}

describe('parseCommand', () => {
  it('reads the url and token from options before the environment, with a default url', () => {
    expect(parseCommand(['projections'], env)).toMatchObject({ name: 'projections', url: 'http://127.0.0.1:3000', token: TOKEN });
    expect(
      parseCommand(['projections', '--url', 'http://gw:8080/', '--token', 't2'], { ...env, HOMEWARD_URL: 'http://other' }),
    ).toMatchObject({ url: 'http://gw:8080', token: 't2' });
    expect(parseCommand(['projections'], { ...env, HOMEWARD_URL: 'https://gw.example' }).url).toBe('https://gw.example');
  });

  it('names the commands with two words and their positionals', () => {
    expect(parseCommand(['rebuild', 'intake', 'person-file', '--wait', '--json'], env)).toMatchObject({
      name: 'rebuild',
      positionals: { service: 'intake', name: 'person-file' },
      options: { wait: true, json: true },
    });
    expect(parseCommand(['dead-letters'], env).name).toBe('dead-letters list');
    expect(parseCommand(['dead-letters', 'list', '--json'], env).name).toBe('dead-letters list');
    expect(parseCommand(['dead-letters', 'retry', 'dl-1'], env)).toMatchObject({ name: 'dead-letters retry', positionals: { id: 'dl-1' } });
    expect(parseCommand(['audit', 'verify', '--source', 'intake'], env)).toMatchObject({
      name: 'audit verify',
      options: { source: 'intake' },
    });
    expect(parseCommand(['audit', 'export', '-o', 'out.ndjson', '--person', 'p1'], env)).toMatchObject({
      name: 'audit export',
      options: { output: 'out.ndjson', person: 'p1' },
    });
    expect(parseCommand(['replay', 'legal', '--from', '2025-09-01T00:00:00Z', '--to', '2025-09-02'], env)).toMatchObject({
      name: 'replay',
      positionals: { service: 'legal' },
    });
  });

  it('answers help without a token', () => {
    expect(parseCommand([], {})).toMatchObject({ name: 'help' });
    expect(parseCommand(['help', 'rebuild'], {})).toMatchObject({ name: 'help', topic: 'rebuild' });
    expect(parseCommand(['audit', 'verify', '--help'], {})).toMatchObject({ name: 'help', topic: 'audit verify' });
  });

  it('refuses a missing token with the way to get one', () => {
    expect(usage(['projections'], {})).toContain('npm run -s token -- --role operator');
    expect(usage(['audit', 'export'], {})).toContain('--role auditor');
  });

  it('refuses wrong usage', () => {
    expect(usage(['frobnicate'])).toContain('unknown command');
    expect(usage(['rebuild', 'intake'])).toContain('missing <name>');
    expect(usage(['rebuild', 'intake', 'a', 'b'])).toContain('unexpected "b"');
    expect(usage(['projections', '--wait'])).toContain('projections does not take --wait');
    expect(usage(['projections', '--bogus'])).toContain('bogus');
    expect(usage(['replay', 'intake'])).toContain('either --stream');
    expect(usage(['replay', 'intake', '--stream', 's', '--from', '2025-01-01'])).toContain('either --stream');
    expect(usage(['replay', 'intake', '--from', '2025-01-01'])).toContain('both --from and --to');
    expect(usage(['replay', 'intake', '--from', 'yesterday', '--to', '2025-01-01'])).toContain('ISO 8601');
    expect(usage(['replay', 'intake', '--from', '2025-02-01', '--to', '2025-01-01'])).toContain('--from must not be after --to');
    expect(usage(['audit', 'verify'])).toContain('exactly one of');
    expect(usage(['audit', 'verify', '--stream', 's', '--source', 'intake'])).toContain('exactly one of');
    expect(usage(['audit'])).toContain('verify, export');
    expect(usage(['dead-letters', 'purge'])).toContain('list or retry');
    expect(usage(['projections', '--url', 'ftp://x'])).toContain('http(s) URL');
  });
});

describe('formatting', () => {
  it('aligns a table and shows missing values as -', () => {
    expect(table([{ a: 'x', b: 1 }, { a: 'longer' }], ['a', 'b'])).toBe('A       B\nx       1\nlonger  -\n');
  });

  it('writes durations, bars and plain progress lines', () => {
    expect([formatDuration(9), formatDuration(75), formatDuration(3700), formatDuration(undefined)]).toEqual(['9s', '1m15s', '1h01m', '?']);
    const job = { state: 'running', eventsDone: 50, eventsTotal: 200, ratePerSecond: 25, etaSeconds: 6 };
    const bar = progressBar('rebuild intake/person-file', job, 100);
    expect(bar).toMatch(/^rebuild intake\/person-file \[#+\.+\] 50\/200 25% 25\.0 ev\/s ETA 6s running$/);
    expect(bar.length).toBeLessThanOrEqual(100);
    expect(progressLine('rebuild x', job)).toBe('rebuild x: running 50/200 events, 25.0 ev/s, ETA 6s');
    expect(progressBar('replay', { state: 'queued' })).toBe('replay 0 ? ev/s ETA ? queued');
  });

  it('turns a problem document into title: detail', () => {
    expect(problemMessage(403, { type: 'forbidden', title: 'Forbidden', status: 403, detail: 'Your roles do not allow this' })).toBe(
      '403 Forbidden: Your roles do not allow this',
    );
    expect(problemMessage(502, '')).toBe('502 the gateway answered with an error');
  });
});

describe('commands against a scripted gateway', () => {
  it('prints projections as a table, or as JSON with --json, sending the token only as a header', async () => {
    const projections = {
      items: [
        { service: 'intake', name: 'person_file', kind: 'inline', state: 'live', position: '42', checkpoints: [], rows: 3 },
        {
          service: 'legal',
          name: 'legal_case',
          kind: 'async',
          state: 'rebuilding',
          position: null,
          checkpoints: [{ topic: 't', partition: 0, offset: '7' }],
          rows: 1,
        },
      ],
      unavailable: ['notifications'],
    };
    const text = await run(['projections'], () => ({ body: projections }));
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('homeward: no answer from notifications; their rows are missing\n');
    expect(text.stdout).toBe(
      'SERVICE  NAME         KIND    STATE       LAG  POSITION  ROWS\n' +
        'intake   person_file  inline  live        0    42        3\n' +
        'legal    legal_case   async   rebuilding  -    0:7       1\n',
    );
    expect(text.requests[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:3000/v1/admin/projections' });
    expect(text.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const json = await run(['projections', '--json'], () => ({ body: projections }));
    expect(JSON.parse(json.stdout)).toEqual(projections);
  });

  it('follows a rebuild job to the end, progress on stderr, JSON on stdout', async () => {
    const states = [
      { jobId: 'intake:j1', state: 'running', eventsDone: 10, eventsTotal: 30, ratePerSecond: 10, etaSeconds: 2 },
      { jobId: 'intake:j1', state: 'running', eventsDone: 20, eventsTotal: 30, ratePerSecond: 10, etaSeconds: 1 },
      { jobId: 'intake:j1', state: 'done', eventsDone: 30, eventsTotal: 30, ratePerSecond: 10, etaSeconds: 0 },
    ];
    let poll = 0;
    const result = await run(['rebuild', 'intake', 'person-file', '--wait', '--json'], (request) =>
      request.method === 'POST' ? { status: 202, body: { jobId: 'intake:j1', state: 'queued' } } : { body: states[poll++] },
    );
    expect(result.code).toBe(0);
    expect(result.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'POST /v1/admin/projections/intake/person-file/rebuild',
      'GET /v1/admin/jobs/intake:j1',
      'GET /v1/admin/jobs/intake:j1',
      'GET /v1/admin/jobs/intake:j1',
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'done', eventsDone: 30 });
    expect(result.stderr).toContain('rebuild intake/person-file: done 30/30 events');
    expect(result.stderr).not.toContain('\r');
  });

  it('redraws one progress bar in place when stderr is a terminal', async () => {
    const states = [
      { jobId: 'intake:j3', state: 'running', eventsDone: 5, eventsTotal: 10, ratePerSecond: 5, etaSeconds: 1 },
      { jobId: 'intake:j3', state: 'done', eventsDone: 10, eventsTotal: 10, ratePerSecond: 5, etaSeconds: 0 },
    ];
    let poll = 0;
    const result = await run(
      ['rebuild', 'intake', 'person_file', '--wait'],
      (request) => (request.method === 'POST' ? { body: { jobId: 'intake:j3', state: 'queued' } } : { body: states[poll++] }),
      env,
      { tty: true },
    );
    expect(result.code).toBe(0);
    const frames = result.stderr.split('\r\x1b[2K').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^rebuild intake\/person_file \[#+\.+\] 5\/10 50% 5\.0 ev\/s ETA 1s running$/);
    expect(frames[1]).toMatch(/\] 10\/10 100% 5\.0 ev\/s ETA 0s done\n$/);
    expect(result.stdout).toBe('rebuild intake/person_file: job intake:j3 done (10 events)\n');
  });

  it('exits 1 when the job fails', async () => {
    const result = await run(['replay', 'intake', '--stream', 'person-1', '--wait'], (request) =>
      request.method === 'POST'
        ? { body: { jobId: 'intake:j2', state: 'queued' } }
        : { body: { jobId: 'intake:j2', state: 'failed', eventsDone: 1, errorCode: 'projection.apply-failed' } },
    );
    expect(result.requests[0]!.body).toEqual({ service: 'intake', streamId: 'person-1' });
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toContain('failed: projection.apply-failed');
  });

  it('prints the problem title and detail and exits 1 on a 403, never the token', async () => {
    const result = await run(['rebuild', 'intake', 'person-file'], () => ({
      status: 403,
      type: 'application/problem+json',
      body: {
        type: 'https://homeward.example/problems/forbidden',
        title: 'Forbidden',
        status: 403,
        detail: `Your roles do not allow this ${TOKEN}`,
      },
    }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('403 Forbidden: Your roles do not allow this');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('names the first broken event and exits 1 when a chain is broken', async () => {
    const broken = {
      source: 'intake',
      streamsChecked: 3,
      eventsChecked: 9,
      broken: [
        {
          streamId: 'person-2',
          eventsChecked: 2,
          valid: false,
          firstBroken: { eventId: 'e-7', streamVersion: 2, reason: 'hash-mismatch' },
        },
      ],
    };
    const result = await run(['audit', 'verify', '--source', 'intake'], () => ({ body: broken }));
    expect(result.requests[0]!.url).toBe('http://127.0.0.1:3000/v1/audit/verify?source=intake');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('chain broken at event e-7 (stream person-2, version 2): hash-mismatch');
    const intact = await run(['audit', 'verify', '--stream', 'person-1'], () => ({
      body: { streamId: 'person-1', eventsChecked: 4, valid: true },
    }));
    expect(intact).toMatchObject({ code: 0, stdout: 'stream person-1: chain intact (4 events checked)\n' });
  });

  it('lists dead letters and retries one by its service-qualified id', async () => {
    const letters = {
      items: [
        {
          deadLetterId: 'legal:7',
          service: 'legal',
          group: 'legal.cases',
          topic: 't',
          partition: 0,
          offset: '9',
          eventType: 'PrisonerReleased',
          error: 'boom\nstack',
          attempts: 1,
          createdAt: '2025-09-11T10:00:00.000Z',
          retriedAt: null,
        },
      ],
      unavailable: [],
    };
    const list = await run(['dead-letters'], () => ({ body: letters }));
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout.split('\n')[1]).toBe('legal:7  legal.cases  PrisonerReleased  1         2025-09-11T10:00:00.000Z  -           boom');
    const retry = await run(['dead-letters', 'retry', 'legal:7'], () => ({ body: { deadLetterId: 'legal:7', outcome: 'applied' } }));
    expect(retry).toMatchObject({ code: 0, stdout: 'dead letter legal:7: applied\n' });
    expect(retry.requests[0]).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:3000/v1/admin/dead-letters/legal:7/retry' });
  });

  it('shows stored text with its control and reordering characters escaped, never acting on the terminal', async () => {
    const hostile = 'boom\u001b]0;pwned\u0007\u001b[2J\u202etxt.exe';
    const escaped = 'boom\\u001b]0;pwned\\u0007\\u001b[2J\\u202etxt.exe';
    const letters = {
      items: [
        {
          deadLetterId: 'legal:8',
          service: 'legal',
          group: 'legal.cases',
          eventType: 'PrisonerReleased',
          error: hostile,
          attempts: 1,
          createdAt: '2025-09-11T10:00:00.000Z',
          retriedAt: null,
        },
      ],
      unavailable: [],
    };
    const list = await run(['dead-letters'], () => ({ body: letters }));
    expect(list.stdout).toContain(escaped);
    const problem = await run(['rebuild', 'intake', 'person-file'], () => ({
      status: 409,
      type: 'application/problem+json',
      body: { title: 'Conflict', status: 409, detail: hostile },
    }));
    expect(problem.stderr).toContain(`409 Conflict: ${escaped}`);
    const broken = { streamId: 'person-3', valid: false, firstBroken: { eventId: 'e-1', streamVersion: 1, reason: hostile } };
    const verify = await run(['audit', 'verify', '--stream', 'person-3'], () => ({ body: broken }));
    expect(verify.stderr).toContain(escaped);
    // eslint-disable-next-line no-control-regex -- no control character but the line feed may reach the terminal
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (const result of [list, problem, verify]) expect(`${result.stdout}${result.stderr}`).not.toMatch(unsafe);
  });

  it('streams the export to stdout and counts the lines on stderr', async () => {
    const ndjson = '{"a":1}\n{"a":2}\n{"a":3}\n';
    const result = await run(['audit', 'export', '--person', 'p-1', '--type', 'PersonReleased'], () => ({
      body: ndjson,
      type: 'application/x-ndjson',
    }));
    expect(result.requests[0]!.url).toBe('http://127.0.0.1:3000/v1/audit/events/export?personId=p-1&type=PersonReleased');
    expect(result).toMatchObject({ code: 0, stdout: ndjson });
    expect(result.stderr).toContain('exported 3 events');
  });
});

describe('audit key and audit bundle', () => {
  const origin = 'homeward.example/audit';
  const logPrivate = generateKeyPairSync('ed25519').privateKey;
  const logKey = verifierKeyOf(origin, publicKeyOf(logPrivate));
  const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
  // Canonical JSON as audit stores it, one leaf with text that is not ASCII (its UTF-8 bytes must survive).
  const entries = Array.from({ length: 9 }, (_, i) =>
    i === 4
      ? `{"entry":{"actor":"клерк","eventId":"e-${i}","note":"\u00e9\u{1f600}"},"kind":"event"}`
      : `{"entry":{"eventId":"e-${i}","streamId":"person-${i % 2}"},"kind":"event"}`,
  );
  const tree = treeOf(entries.map((entry) => leafHash(Buffer.from(entry, 'utf8'))));
  const noteAt = (size: number) => signNote(checkpointBody({ origin, size, rootHash: rootAt(size, tree.hashAt) }), origin, logPrivate);
  /** homeward-verify as an auditor runs it on the bundle. */
  const verify = (...argv: string[]) => {
    const [stdout, stderr] = [new Sink(), new Sink()];
    return { code: homewardVerify(argv, { stdout, stderr }), stdout: stdout.text, stderr: stderr.text };
  };
  const selected = (size: number) => [...entries.keys()].filter((i) => i < size && i % 2 === 0);

  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const workDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'homeward-bundle-test-'));
    made.push(dir);
    return dir;
  };

  /** The gateway over this log: the person's leaves are the even ones, two to a page. */
  const gatewayOf =
    (latest: number, { leafAt = (i: number) => entries[i]!, cosignedAt = 0 } = {}): Route =>
    (request) => {
      const url = new URL(request.url);
      const size = Number(url.searchParams.get('treeSize'));
      if (request.method === 'POST' && url.pathname === '/v1/audit/checkpoints')
        return { status: 201, body: { treeSize: latest, note: noteAt(latest), cosigners: [] } };
      if (url.pathname === '/v1/audit/key') return { body: `${logKey}\n`, type: 'text/plain' };
      if (request.method === 'GET' && url.pathname === '/v1/audit/checkpoints') {
        // Newest first, two a page: 9 and 8 not cosigned yet, 7 cosigned.
        const before = Number(url.searchParams.get('cursor') ?? latest + 1);
        const sizes = [before - 1, before - 2].filter((n) => n >= 1);
        const items = sizes.map((treeSize) => ({
          treeSize,
          note: noteAt(treeSize),
          cosigners: treeSize === cosignedAt ? ['partner.example/witness'] : [],
        }));
        return { body: { items, nextCursor: sizes.at(-1)! > 1 ? String(sizes.at(-1)) : null } };
      }
      const checkpoint = /^\/v1\/audit\/checkpoints\/(\d+)$/.exec(url.pathname);
      if (checkpoint) return { body: noteAt(Number(checkpoint[1])), type: 'text/plain' };
      if (url.pathname === '/v1/audit/leaves') {
        const after = Number(url.searchParams.get('cursor') ?? -1);
        const page = selected(size)
          .filter((i) => i > after)
          .slice(0, 2);
        const last = page.at(-1);
        const more = last !== undefined && selected(size).some((i) => i > last);
        return {
          body: {
            treeSize: size,
            items: page.map((i) => ({ index: i, leaf: leafAt(i), path: inclusionProof(i, size, tree.hashAt).map(base64) })),
            nextCursor: more ? String(last) : null,
          },
        };
      }
      if (url.pathname === '/v1/audit/leaves/manifest') {
        const indices = selected(size);
        const digest = createHash('sha256')
          .update(Buffer.concat(indices.map((i) => leafHash(Buffer.from(entries[i]!, 'utf8')))))
          .digest('base64');
        const body = ['homeward-bundle/v1', origin, String(size), 'person p-1', String(indices.length), digest]
          .map((line) => `${line}\n`)
          .join('');
        return {
          body: { treeSize: size, selection: 'person p-1', leaves: indices.length, digest, note: signNote(body, origin, logPrivate) },
        };
      }
      if (url.pathname === '/v1/audit/proofs/consistency') {
        const [from, to] = [Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))];
        return { body: { from, to, path: consistencyProof(from, to, tree.hashAt).map(base64) } };
      }
      return { status: 404, body: { title: 'Not found', status: 404 } };
    };

  it('parses the two commands and refuses wrong usage', () => {
    expect(parseCommand(['audit', 'key'], env)).toMatchObject({ name: 'audit key' });
    expect(
      parseCommand(['audit', 'bundle', '--person', 'p-1', '-o', 'out', '--since', 'a', '--since', 'b', '--tree-size', '12'], env),
    ).toMatchObject({
      name: 'audit bundle',
      options: { person: 'p-1', output: 'out', since: ['a', 'b'], 'tree-size': '12' },
    });
    expect(usage(['audit', 'bundle', '-o', 'out'])).toContain('exactly one of --person');
    expect(usage(['audit', 'bundle', '--all', '--stream', 's', '-o', 'out'])).toContain('exactly one of --person');
    expect(usage(['audit', 'bundle', '--all'])).toContain('needs -o <dir>');
    expect(usage(['audit', 'bundle', '--all', '-o', 'out', '--tree-size', '0'])).toContain('--tree-size must be a positive integer');
    expect(usage(['audit', 'key', '--all'])).toContain('audit key does not take --all');
    expect(usage(['audit', 'bundle', '--all', '-o', 'out'], {})).toContain('--role auditor');
  });

  it('prints the verifier key, or it as JSON', async () => {
    const plain = await run(['audit', 'key'], gatewayOf(9));
    expect(plain).toMatchObject({ code: 0, stdout: `${logKey}\n`, stderr: '' });
    expect(plain.requests[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:3000/v1/audit/key' });
    expect(JSON.parse((await run(['audit', 'key', '--json'], gatewayOf(9))).stdout)).toEqual({ verifierKey: logKey });
  });

  it('bundles a fresh checkpoint whose files homeward-verify accepts, the leaf lines byte for byte', async () => {
    const dir = join(workDir(), 'bundle');
    const older = join(workDir(), 'older-checkpoint');
    writeFileSync(older, noteAt(3));
    const result = await run(['audit', 'bundle', '--person', 'p-1', '-o', dir, '--since', older], gatewayOf(9));
    expect(result.stderr).toBe(`bundle: 5 leaves of person p-1 at tree size 9, consistent with 1 older checkpoints in ${dir}\n`);
    expect(result).toMatchObject({ code: 0, stdout: `${dir}\n` });
    expect(result.requests.map((request) => `${request.method} ${request.url.slice('http://127.0.0.1:3000'.length)}`)).toEqual([
      'POST /v1/audit/checkpoints',
      'GET /v1/audit/checkpoints/9',
      'GET /v1/audit/leaves?personId=p-1&treeSize=9&limit=1000',
      'GET /v1/audit/leaves?personId=p-1&treeSize=9&limit=1000&cursor=2',
      'GET /v1/audit/leaves?personId=p-1&treeSize=9&limit=1000&cursor=6',
      'GET /v1/audit/leaves/manifest?personId=p-1&treeSize=9',
      'GET /v1/audit/proofs/consistency?from=3&to=9',
    ]);

    expect(readdirSync(dir).sort()).toEqual(['README', 'checkpoint', 'consistency.ndjson', 'leaves.ndjson', 'manifest', 'proofs.ndjson']);
    const leafFile = readFileSync(join(dir, 'leaves.ndjson'));
    expect(leafFile.equals(Buffer.concat([0, 2, 4, 6, 8].map((i) => Buffer.from(`${entries[i]}\n`, 'utf8'))))).toBe(true);
    const proofLines = readFileSync(join(dir, 'proofs.ndjson'), 'utf8').split('\n');
    expect(proofLines[2]).toBe(JSON.stringify({ index: 4, treeSize: 9, path: inclusionProof(4, 9, tree.hashAt).map(base64) }));
    expect(proofLines).toHaveLength(6);
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8')).toBe(noteAt(9));
    expect(JSON.parse(readFileSync(join(dir, 'consistency.ndjson'), 'utf8'))).toEqual({
      checkpoint: noteAt(3),
      treeSize: 9,
      path: consistencyProof(3, 9, tree.hashAt).map(base64),
    });
    expect(readFileSync(join(dir, 'README'), 'utf8')).toContain('homeward-verify <this dir> --key <log verifier key>');

    expect(verify(dir, '--key', logKey, '--since', older)).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: 5 leaves') });
    // The same bundle with one byte of the non-ASCII leaf changed no longer verifies.
    writeFileSync(join(dir, 'leaves.ndjson'), leafFile.toString('utf8').replace('клерк', 'клерх'));
    expect(verify(dir, '--key', logKey)).toMatchObject({ code: 1, stderr: expect.stringContaining('leaf 4 (line 3)') });
  });

  it('bundles at a given tree size without signing a new checkpoint, into an empty dir, always writing consistency.ndjson', async () => {
    const dir = workDir();
    const result = await run(['audit', 'bundle', '--person', 'p-1', '-o', dir, '--tree-size', '5', '--json'], gatewayOf(9));
    expect(result.code).toBe(0);
    expect(result.requests.some((request) => request.method === 'POST')).toBe(false);
    expect(JSON.parse(result.stdout)).toEqual({ dir, selection: 'person p-1', treeSize: 5, leaves: 3, since: [] });
    expect(readFileSync(join(dir, 'consistency.ndjson'), 'utf8')).toBe('');
    expect(verify(dir, '--key', logKey)).toMatchObject({ code: 0 });
  });

  it('bundles at the newest checkpoint a witness cosigned with --cosigned, and says so when none is', async () => {
    const dir = workDir();
    const result = await run(['audit', 'bundle', '--person', 'p-1', '-o', dir, '--cosigned', '--json'], gatewayOf(9, { cosignedAt: 7 }));
    expect(result.code).toBe(0);
    expect(result.requests.some((request) => request.method === 'POST')).toBe(false);
    expect(JSON.parse(result.stdout)).toMatchObject({ treeSize: 7 });
    const none = await run(['audit', 'bundle', '--person', 'p-1', '-o', workDir(), '--cosigned'], gatewayOf(9));
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining('no witness has cosigned any of the 9 newest checkpoints') });
    expect(usage(['audit', 'bundle', '--all', '-o', 'out', '--cosigned', '--tree-size', '3'])).toContain(
      'give --tree-size or --cosigned, not both',
    );
  });

  it('refuses a directory that is not empty, before asking the gateway anything', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'leaves.ndjson'), 'old\n');
    const result = await run(['audit', 'bundle', '--all', '-o', dir], gatewayOf(9));
    expect(result).toMatchObject({ code: 1, requests: [] });
    expect(result.stderr).toContain('is not empty');
  });

  it('refuses a leaf that cannot be one line, and leaves no bundle behind', async () => {
    const parent = workDir();
    const dir = join(parent, 'bundle');
    const result = await run(
      ['audit', 'bundle', '--person', 'p-1', '-o', dir],
      gatewayOf(9, { leafAt: (i) => (i === 6 ? '{"a":\n1}' : entries[i]!) }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('leaf 6 cannot be written as one line');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses an older checkpoint larger than the bundle', async () => {
    const older = join(workDir(), 'older');
    writeFileSync(older, noteAt(9));
    const result = await run(
      ['audit', 'bundle', '--person', 'p-1', '-o', join(workDir(), 'b'), '--tree-size', '5', '--since', older],
      gatewayOf(9),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('its tree size 9 is larger than the bundle');
  });
});

describe('audit reconcile', () => {
  const streamId = 'person-01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70';
  const context = (
    name: string,
    counts: Partial<Record<'missing' | 'extra' | 'different' | 'pending', number>> = {},
    samples: unknown[] = [],
    state = 'done',
  ) => ({
    context: name,
    state,
    errorCode: state === 'failed' ? 'reconciliation.copy-unreadable' : null,
    streams: 4,
    events: 12,
    missing: 0,
    extra: 0,
    different: 0,
    pending: 0,
    duplicateVersions: 0,
    samples,
    ...counts,
  });
  const runOf = (state: string, contexts: unknown[]) => ({
    reconciliationId: 'r-1',
    state,
    clean: null,
    startedAt: '2025-10-01T10:00:00.000Z',
    finishedAt: null,
    graceSeconds: 60,
    contexts,
  });
  /** The gateway: the POST answers the run running, each GET the next state. */
  const gatewayOf = (...states: Array<ReturnType<typeof runOf>>): Route => {
    let reads = 0;
    return ({ method, url }) => {
      if (method === 'POST' && url.endsWith('/v1/admin/reconciliations')) return { status: 202, body: runOf('running', []) };
      if (method === 'GET' && url.endsWith('/v1/admin/reconciliations/r-1')) return { body: states[Math.min(reads++, states.length - 1)] };
      return { status: 404, body: { title: 'Not found' } };
    };
  };

  it('parses --context and --json, an operator command', () => {
    expect(parseCommand(['audit', 'reconcile'], env)).toMatchObject({ name: 'audit reconcile', options: {} });
    expect(parseCommand(['audit', 'reconcile', '--context', 'legal', '--json'], env)).toMatchObject({
      name: 'audit reconcile',
      options: { context: 'legal', json: true },
    });
    expect(usage(['audit', 'reconcile', '--stream', 's'])).toContain('audit reconcile does not take --stream');
    expect(usage(['audit', 'reconcile'], {})).toContain('--role operator');
  });

  it('follows the run and exits 0 with a table when every context is clean', async () => {
    const clean = ['intake', 'legal', 'identity-documents', 'notifications'].map((name) => context(name));
    const result = await run(['audit', 'reconcile'], gatewayOf(runOf('running', clean.slice(0, 2)), runOf('done', clean)));
    expect(result.code).toBe(0);
    expect(result.requests.map((request) => [request.method, request.url.replace('http://127.0.0.1:3000', ''), request.body])).toEqual([
      ['POST', '/v1/admin/reconciliations', {}],
      ['GET', '/v1/admin/reconciliations/r-1', undefined],
      ['GET', '/v1/admin/reconciliations/r-1', undefined],
    ]);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONTEXT\s+STATE\s+STREAMS\s+EVENTS\s+MISSING\s+EXTRA\s+DIFFERENT\s+PENDING$/);
    expect(lines[1]).toMatch(/^intake\s+done\s+4\s+12\s+0\s+0\s+0\s+0$/);
    expect(lines).toHaveLength(5);
    expect(result.stderr).toContain('reconciliation r-1: done, 16 streams compared');
  });

  it('exits 1 naming the first events of each kind, for the one context asked for', async () => {
    const samples = [
      { kind: 'missing', streamId, version: 2, eventId: '01936b2e-7a4c-7d1e-9f3a-000000000002', copyEventId: null },
      { kind: 'extra', streamId, version: 4, eventId: null, copyEventId: '01936b2e-7a4c-7d1e-9f3a-000000000004' },
    ];
    // A run under way of every context was answered: only legal is shown.
    const result = await run(
      ['audit', 'reconcile', '--context', 'legal'],
      gatewayOf(runOf('done', [context('intake'), context('legal', { missing: 1, extra: 1 }, samples)])),
    );
    expect(result.code).toBe(1);
    expect(result.requests[0]!.body).toEqual({ contexts: ['legal'] });
    expect(result.stdout).not.toMatch(/^intake/m);
    expect(result.stdout).toMatch(/^legal\s+done\s+4\s+12\s+1\s+1\s+0\s+0$/m);
    expect(result.stdout).toContain('first events of each kind:');
    expect(result.stdout).toMatch(new RegExp(`^legal\\s+missing\\s+${streamId}\\s+2\\s+01936b2e-7a4c-7d1e-9f3a-000000000002\\s+-$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^legal\\s+extra\\s+${streamId}\\s+4\\s+-\\s+01936b2e-7a4c-7d1e-9f3a-000000000004$`, 'm'));
    expect(result.stderr).toContain('the copy and the stores differ');
  });

  it('prints JSON with --json; pending alone is clean, a context that could not be read is not', async () => {
    const pendingOnly = await run(['audit', 'reconcile', '--json'], gatewayOf(runOf('done', [context('intake', { pending: 2 })])));
    expect(pendingOnly.code).toBe(0);
    expect(JSON.parse(pendingOnly.stdout)).toMatchObject({
      reconciliationId: 'r-1',
      clean: true,
      contexts: [{ context: 'intake', pending: 2 }],
    });
    expect(pendingOnly.stderr).toContain('2 newest events not copied yet (within the grace period of 60s)');

    const failed = await run(
      ['audit', 'reconcile', '--json'],
      gatewayOf(runOf('done', [context('intake'), context('legal', {}, [], 'failed')])),
    );
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ clean: false });
    expect(failed.stderr).toContain('the reconciliation of legal failed: reconciliation.copy-unreadable');
  });

  it('exits 2 when the gateway refuses the context, 1 when the role is wrong', async () => {
    const refused = await run(['audit', 'reconcile', '--context', 'payroll'], () => ({
      status: 400,
      type: 'application/problem+json',
      body: {
        type: 'https://homeward.example/problems/validation-failed',
        title: 'The request is not valid',
        status: 400,
        detail: 'each value in contexts must be one of the following values',
      },
    }));
    expect(refused.code).toBe(2);
    const forbidden = await run(['audit', 'reconcile'], () => ({ status: 403, body: { title: 'Forbidden', status: 403 } }));
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('403 Forbidden');
  });
});
