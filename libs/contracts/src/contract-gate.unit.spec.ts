// The contract gate proves itself: in a scratch repository whose main published intake's contracts
// as they are committed here, a field removed or renumbered from a published event fails it,
// uncommitted or committed, and keeps failing when unrelated commits land on top; the same change
// made as a new package version passes, and so does the unchanged tree.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

jest.setTimeout(60_000);

const here = path.dirname(fileURLToPath(import.meta.url));
const workspace = path.join(here, '../../..');
const script = path.join(here, '../scripts/contract-gate.mjs');
const repo = mkdtempSync(path.join(tmpdir(), 'homeward-contract-gate-test-'));
const events = 'proto/homeward/intake/v1/events.proto';
const consented = '  bool consented = 6 [(common.v1.privacy) = PRIVACY_OPERATIONAL];\n';

function git(...args: string[]) {
  const run = spawnSync('git', ['-c', 'user.name=gate', '-c', 'user.email=gate@homeward.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function commit(message: string) {
  git('add', '-A');
  git('commit', '-qm', message);
}

function gate() {
  const run = spawnSync(process.execPath, [script], { cwd: repo, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

/** Rewrites one file of the scratch tree; fails the test if `from` is not in it. */
function edit(file: string, from: string, to: string) {
  const text = readFileSync(path.join(repo, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer holds ${JSON.stringify(from)}: pick another field for this test`);
  writeFileSync(path.join(repo, file), text.replace(from, to));
}

function discardEdits() {
  git('checkout', '-q', '--', '.');
  git('clean', '-fdq');
}

beforeAll(() => {
  git('init', '-q', '-b', 'main');
  // Common and intake as committed: enough to publish events, and each buf run stays short. The
  // buf config as it is now, the one under test.
  const archive = spawnSync('git', ['archive', '--format=tar', 'HEAD', 'proto/homeward/common', 'proto/homeward/intake'], {
    cwd: workspace,
    maxBuffer: 64 * 1024 * 1024,
  });
  spawnSync('tar', ['-x', '-C', repo], { input: archive.stdout });
  copyFileSync(path.join(workspace, 'proto/buf.yaml'), path.join(repo, 'proto/buf.yaml'));
  writeFileSync(path.join(repo, 'README.md'), 'scratch\n');
  commit('published contracts');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('the contract gate', () => {
  it('passes a clean checkout of main', () => expect(gate()).toEqual({ status: 0, stderr: '' }));

  it('fails on an uncommitted field removed from a published event, naming it', () => {
    try {
      edit(events, consented, '');
      const result = gate();
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/buf breaking against \w+ \(HEAD\)/);
      expect(result.stderr).toContain('"consented" on message "PrisonerDeported" was deleted');
    } finally {
      discardEdits();
    }
  });

  it('fails on a renumbered field', () => {
    try {
      edit(events, consented, consented.replace('= 6', '= 7'));
      const result = gate();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('PrisonerDeported');
    } finally {
      discardEdits();
    }
  });

  it('fails on a lint finding', () => {
    try {
      edit(events, 'message PrisonerDeported {', 'message prisoner_deported_again {}\n\nmessage PrisonerDeported {');
      const result = gate();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('buf lint:');
      expect(result.stderr).toContain('prisoner_deported_again');
    } finally {
      discardEdits();
    }
  });

  it('passes the same change made as a new package version beside the old one', () => {
    const v1 = readFileSync(path.join(repo, events), 'utf8');
    mkdirSync(path.join(repo, 'proto/homeward/intake/v2'));
    writeFileSync(
      path.join(repo, 'proto/homeward/intake/v2/events.proto'),
      v1.replace('package homeward.intake.v1;', 'package homeward.intake.v2;').replace(consented, ''),
    );
    commit('intake events v2, without consented');
    expect(gate()).toEqual({ status: 0, stderr: '' });
  });

  it('fails a commit that breaks a published event on its own clean checkout, and still once other commits land on top', () => {
    edit(events, consented, '');
    commit('drop consented from v1');
    const own = gate();
    expect(own.status).toBe(1);
    expect(own.stderr).toMatch(/buf breaking against \w+ \(proto\/ before \w+ changed it\)/);
    expect(own.stderr).toContain('"consented" on message "PrisonerDeported" was deleted');

    writeFileSync(path.join(repo, 'README.md'), 'scratch, edited\n');
    commit('an unrelated commit');
    expect(gate().stderr).toContain('"consented" on message "PrisonerDeported" was deleted');
  });
});
