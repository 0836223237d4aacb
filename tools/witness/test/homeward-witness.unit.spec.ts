// The witness against a small local log that serves notes and proofs built with @homeward/transparency
// and records the cosignatures posted to it.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  consistencyProof,
  cosignerKeyOf,
  ed25519KeyFromSeed,
  leafHash,
  openNote,
  parseVerifierKey,
  publicKeyOf,
  rootAt,
  treeOf,
  type Hash,
} from '@homeward/transparency';
// The witness ships with the verifier and imports it by path (src/*.mjs); its tests share the verifier's test log.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { base64, checkpointOf, leaves, logKey, origin, rewritten } from '../../verify/test/log-fixture.js';
import { main } from '../homeward-witness.mjs';

const NOW = Date.UTC(2026, 0, 1);
const TOKEN = 'witness-token-42';

/** What the log serves: its latest note, the tree its proofs come from, and the cosignatures it was sent. */
type LogState = {
  note: string | null;
  tree: ReturnType<typeof treeOf>;
  posted: Array<{ size: number; signatureLine: string; authorization: string | undefined }>;
  reject?: { status: number; title: string; detail: string };
  proof?: (from: number, to: number) => Hash[];
};

function presents(state: LogState, data: Buffer[], size: number, signer?: KeyObject) {
  Object.assign(state, checkpointOf(data, size, signer));
}

function send(response: ServerResponse, status: number, type: string, body: string) {
  response.writeHead(status, { 'content-type': type }).end(body);
}

async function handle(state: LogState, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://log');
  const problem = (status: number, title: string, detail: string) =>
    send(response, status, 'application/problem+json', JSON.stringify({ type: 'about:blank', title, status, detail }));
  if (request.method === 'GET' && url.pathname === '/v1/audit/checkpoint') {
    if (state.note === null) return problem(404, 'No checkpoint', 'no checkpoint has been issued yet');
    return send(response, 200, 'text/plain; charset=utf-8', state.note);
  }
  if (request.method === 'GET' && url.pathname === '/v1/audit/proofs/consistency') {
    const [from, to] = ['from', 'to'].map((name) => Number(url.searchParams.get(name)));
    const path = (state.proof ?? ((m, n) => consistencyProof(m, n, state.tree.hashAt)))(from!, to!);
    return send(response, 200, 'application/json', JSON.stringify({ from, to, path: path.map(base64) }));
  }
  const cosignature = /^\/v1\/audit\/checkpoints\/(\d+)\/cosignatures$/.exec(url.pathname);
  if (request.method === 'POST' && cosignature) {
    let text = '';
    for await (const chunk of request) text += chunk;
    if (state.reject) return problem(state.reject.status, state.reject.title, state.reject.detail);
    const { signatureLine } = JSON.parse(text) as { signatureLine: string };
    state.posted.push({ size: Number(cosignature[1]), signatureLine, authorization: request.headers.authorization });
    return send(
      response,
      201,
      'application/json',
      JSON.stringify({ treeSize: Number(cosignature[1]), note: `${state.note}${signatureLine}` }),
    );
  }
  return problem(404, 'Not found', url.pathname);
}

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'homeward-witness-'));
  made.push(dir);
  return dir;
};

function output() {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('homeward-witness', () => {
  const state: LogState = { note: null, tree: treeOf([]), posted: [] };
  let server: Server;
  let url: string;
  let keyFile: string;
  let witnessKey: string;
  let stateFile: string;

  beforeAll(async () => {
    server = createServer((request, response) => void handle(state, request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    keyFile = join(tempDir(), 'witness.key');
    const out = output();
    expect(await main(['keygen', '--name', 'witness.example/w1', '--out', keyFile], { stdout: out, stderr: output() })).toBe(0);
    witnessKey = out.text.trim();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    made.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  beforeEach(() => {
    Object.assign(state, { note: null, tree: treeOf([]), posted: [], reject: undefined, proof: undefined });
    stateFile = join(tempDir(), 'state.json');
  });

  /** One run of the witness against the log; the token comes from the environment. */
  async function witness(...more: string[]) {
    const [stdout, stderr] = [output(), output()];
    const args = ['run', '--log', url, '--log-key', logKey, '--key-file', keyFile, '--state', stateFile, ...more];
    const code = await main(args, { env: { HOMEWARD_TOKEN: TOKEN }, stdout, stderr, now: () => NOW });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }
  const once = () => witness('--once');
  const saved = () =>
    JSON.parse(readFileSync(stateFile, 'utf8')) as { origin: string; treeSize: number; rootHash: string; checkpoint: string };

  /** The posted line appended to the log's note opens with the log's and the witness's keys. */
  function expectCosigned(size: number) {
    const last = state.posted[state.posted.length - 1]!;
    expect(last).toMatchObject({ size, authorization: `Bearer ${TOKEN}` });
    const opened = openNote(`${state.note}${last.signatureLine}`, [logKey, witnessKey]);
    expect(opened).toMatchObject({
      ok: true,
      signers: [{ name: origin }, { name: 'witness.example/w1', type: 0x04, timestamp: NOW / 1000 }],
    });
  }

  describe('given its key', () => {
    it('then keygen wrote a private key only its owner reads, and key prints the same verifier key', async () => {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(keyFile, 'utf8')).toMatch(/^PRIVATE\+KEY\+witness\.example\/w1\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$/);
      const out = output();
      expect(await main(['key', '--key-file', keyFile], { stdout: out, stderr: output() })).toBe(0);
      expect(out.text).toBe(`${witnessKey}\n`);
    });
    it('then the verifier key is the library’s cosigner key of the seed in the file, type 0x04', () => {
      const seed = Buffer.from(readFileSync(keyFile, 'utf8').trim().split('+').slice(4).join('+'), 'base64');
      expect(seed[0]).toBe(0x04);
      expect(cosignerKeyOf('witness.example/w1', publicKeyOf(ed25519KeyFromSeed(seed.subarray(1))))).toBe(witnessKey);
      expect(parseVerifierKey(witnessKey)).toMatchObject({ name: 'witness.example/w1', type: 0x04 });
    });
    it('then keygen refuses to overwrite a key', async () => {
      const before = readFileSync(keyFile, 'utf8');
      const err = output();
      expect(await main(['keygen', '--name', 'other', '--out', keyFile], { stdout: output(), stderr: err })).toBe(1);
      expect(err.text).toContain('refusing to overwrite');
      expect(readFileSync(keyFile, 'utf8')).toBe(before);
    });
  });

  describe('given no state file (first use)', () => {
    it('then it trusts the log’s checkpoint, cosigns it, and records it once the log accepted', async () => {
      presents(state, leaves, 5);
      const result = await once();
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/trusting on first use homeward\.example\/audit at size 5/);
      expect(result.stdout).toMatch(/^cosigned homeward\.example\/audit at size 5, root \S+\n$/);
      expectCosigned(5);
      expect(saved()).toEqual({
        origin,
        treeSize: 5,
        rootHash: base64(rootAt(5, state.tree.hashAt)),
        checkpoint: `${state.note}${state.posted[0]!.signatureLine}`,
      });
    });
    it('then no checkpoint issued yet is nothing to do', async () => {
      expect(await once()).toMatchObject({ code: 0, stdout: `no checkpoint issued yet by ${url}\n` });
      expect(existsSync(stateFile)).toBe(false);
    });
    it('then a checkpoint not signed by the log key is refused: exit 3, nothing recorded', async () => {
      presents(state, leaves, 5, generateKeyPairSync('ed25519').privateKey);
      const result = await once();
      expect(result).toMatchObject({
        code: 3,
        stderr: expect.stringContaining(`REFUSED to cosign: the latest checkpoint is not the log's: not signed by the log key ${logKey}`),
      });
      expect(state.posted).toEqual([]);
      expect(existsSync(stateFile)).toBe(false);
    });
    it('then a cosignature the log refuses is reported with its problem, and nothing is recorded', async () => {
      presents(state, leaves, 5);
      state.reject = { status: 403, title: 'Unknown witness', detail: 'witness.example/w1 is not configured' };
      const result = await once();
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          'POST /v1/audit/checkpoints/5/cosignatures: 403 Unknown witness: witness.example/w1 is not configured',
        ),
      });
      expect(existsSync(stateFile)).toBe(false);
    });
  });

  describe('given a state it cosigned at size 8', () => {
    beforeEach(async () => {
      presents(state, leaves, 8);
      expect((await once()).code).toBe(0);
      state.posted = [];
    });

    it('then a log grown consistently to 13 is cosigned, and the state moves to 13', async () => {
      presents(state, leaves, 13);
      expect(await once()).toMatchObject({ code: 0, stdout: expect.stringMatching(/^cosigned \S+ at size 13/) });
      expectCosigned(13);
      expect(saved()).toMatchObject({ treeSize: 13, rootHash: base64(rootAt(13, state.tree.hashAt)) });
    });
    it('then the same checkpoint again is nothing to do', async () => {
      const before = readFileSync(stateFile, 'utf8');
      expect(await once()).toMatchObject({ code: 0, stdout: `already cosigned ${origin} at size 8\n` });
      expect(state.posted).toEqual([]);
      expect(readFileSync(stateFile, 'utf8')).toBe(before);
    });

    describe('when the log presents a history that does not extend it', () => {
      const refusedUnchanged = async (reason: RegExp) => {
        const before = readFileSync(stateFile, 'utf8');
        const result = await once();
        expect(result.code).toBe(3);
        expect(result.stderr).toMatch(reason);
        expect(result.stderr).toMatch(
          /last cosigned \(.*state\.json\): size 8, root \S+\n {2}presented by the log: {2}size \d+, root \S+\n/,
        );
        expect(result.stderr).toContain(state.note!);
        expect(state.posted).toEqual([]);
        expect(readFileSync(stateFile, 'utf8')).toBe(before);
      };
      it('then a smaller tree (rollback) is refused', async () => {
        presents(state, leaves, 6);
        await refusedUnchanged(/REFUSED to cosign: the log rolled back/);
      });
      it('then another root at the same size (fork) is refused', async () => {
        presents(state, rewritten, 8);
        await refusedUnchanged(/REFUSED to cosign: the log forked: another root at the size this witness cosigned/);
      });
      it('then history rewritten and re-hashed before growing is refused: its consistency proof does not verify', async () => {
        presents(state, rewritten, 13);
        await refusedUnchanged(/REFUSED to cosign: the log forked: its consistency proof from size 8 to 13 does not verify/);
      });
      it('then a proof for other sizes is refused', async () => {
        presents(state, leaves, 13);
        state.proof = (_, to) => consistencyProof(7, to, state.tree.hashAt);
        await refusedUnchanged(/its consistency proof from size 8 to 13 does not verify/);
      });
      it('then the loop stops with exit 3 too: a fork needs a person', async () => {
        presents(state, leaves, 13);
        state.proof = (_, to) => {
          presents(state, rewritten, to); // after it cosigned 13, the log is rewritten at the same size
          return consistencyProof(8, to, treeOf(leaves.map(leafHash)).hashAt);
        };
        const result = await witness('--interval', '0.01');
        expect(result.code).toBe(3);
        expect(result.stdout).toMatch(/^cosigned \S+ at size 13/);
        expect(result.stderr).toMatch(/the log forked: another root at the size this witness cosigned/);
        expect(saved()).toMatchObject({ treeSize: 13, rootHash: base64(rootAt(13, treeOf(leaves.map(leafHash)).hashAt)) });
      });
    });
  });

  describe('given a log it cannot reach', () => {
    it('then --once exits 1 and the state is untouched', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise((resolve) => closed.close(resolve));
      const [stdout, stderr] = [output(), output()];
      const args = ['run', '--once', '--log', gone, '--log-key', logKey, '--key-file', keyFile, '--state', stateFile];
      expect(await main(args, { env: { HOMEWARD_TOKEN: TOKEN }, stdout, stderr })).toBe(1);
      expect(stderr.text).toContain(`GET /v1/audit/checkpoint: cannot reach the log at ${gone} (ECONNREFUSED)`);
      expect(stderr.text).not.toContain(TOKEN);
      expect(existsSync(stateFile)).toBe(false);
    });
  });

  describe('given the bin run as a partner runs it', () => {
    it('then it cosigns with the token from a file and exits 0', async () => {
      presents(state, leaves, 3);
      const tokenFile = join(tempDir(), 'token');
      writeFileSync(tokenFile, `${TOKEN}\n`);
      const bin = join(import.meta.dirname, '..', 'homeward-witness.mjs');
      const args = [
        bin,
        'run',
        '--once',
        '--log',
        `${url}/`,
        '--log-key',
        logKey,
        '--key-file',
        keyFile,
        '--state',
        stateFile,
        '--token-file',
        tokenFile,
      ];
      const { stdout } = await promisify(execFile)(process.execPath, args, { env: { PATH: process.env.PATH } });
      expect(stdout).toMatch(/^cosigned \S+ at size 3/);
      expect(state.posted[0]).toMatchObject({ size: 3, authorization: `Bearer ${TOKEN}` });
      expect(saved()).toMatchObject({ treeSize: 3 });
    });
  });

  describe('given a wrong call', () => {
    it.each([
      ['no command', [], /give a command: keygen, key or run/],
      ['an unknown command', ['sign'], /unknown command sign/],
      ['run without --state', ['run', '--log', 'http://x', '--log-key', logKey, '--key-file', 'k'], /run needs --state/],
      ['a witness key as --log-key', null, /is a witness key \(type 0x04\)/],
      ['a non-positive interval', null, /--interval 0 is not a positive number/],
      ['keygen with a name holding a space', ['keygen', '--name', 'a b', '--out', 'x'], /a key name is non-empty/],
      ['an option of another command', ['key', '--key-file', 'k', '--once'], /key takes no --once/],
    ])('then %s is a usage error: exit 2', async (what, given, message) => {
      const args = given ?? [
        'run',
        '--log',
        url,
        '--key-file',
        keyFile,
        '--state',
        stateFile,
        ...(what.startsWith('a witness') ? ['--log-key', witnessKey] : ['--log-key', logKey, '--interval', '0']),
      ];
      const err = output();
      expect(await main(args as string[], { stdout: output(), stderr: err })).toBe(2);
      expect(err.text).toMatch(message);
      expect(err.text).toContain('usage:');
    });
  });
});
