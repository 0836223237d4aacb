#!/usr/bin/env node
// The contract gate `npm test` runs: `buf lint` on proto/, then `buf breaking` against proto/ as
// main published it. docs/contracts.md says how to change a contract without breaking it.
//   node libs/contracts/scripts/contract-gate.mjs [protoDir]   (inside the repository)
//
// What "as main published it" means. Whatever is committed to main is published: services built
// from it have written events with it, and stored events are never rewritten. The tree is checked
// against:
// - base, the last commit of main this checkout builds on: `git merge-base HEAD main`, HEAD itself
//   on main. This catches an uncommitted breaking edit, and on a branch every breaking commit.
// - proto/ before each of base's last PREVIOUS_VERSIONS changes to a .proto file, on main's line.
//   On a clean checkout of main, which is what CI tests, the tree is HEAD and the first comparison
//   cannot fail; these make a commit that breaks a published message or RPC fail, however many
//   commits that leave the .proto files alone land on top of it before CI runs. HEAD~1 alone would
//   not: it forgets the break as soon as one more commit lands.
// So a clean checkout fails only when one of main's last changes to the contracts broke what was
// published before it. A shallow clone checks what history it holds and says what it could not.
// Baselines are read with `git archive`, so the gate works in a worktree and at any distance from main.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const buf = path.join(here, '../../../node_modules/.bin/buf');
const PREVIOUS_VERSIONS = 3;

const git = (args, cwd) => spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const commitOf = (ref, cwd) => {
  const found = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  return found.status === 0 ? found.stdout.trim() : undefined;
};
const short = (commit) => commit.slice(0, 8);

/** The commits whose proto/ the tree must stay compatible with, each with why. */
export function baselines(root) {
  const head = commitOf('HEAD', root);
  if (!head) throw new Error('the contract gate needs a git checkout with at least one commit');
  const main = ['main', 'origin/main'].map((ref) => commitOf(ref, root)).find(Boolean);
  const base = (main && git(['merge-base', 'HEAD', main], root).stdout.trim()) || head;
  const found = [{ commit: base, why: base === head ? 'HEAD' : 'the last commit of main this branch builds on' }];
  const changes = git(['log', '--first-parent', `-${PREVIOUS_VERSIONS}`, '--format=%H', base, '--', ':(glob)proto/**/*.proto'], root)
    .stdout.split('\n')
    .filter(Boolean);
  for (const change of changes) {
    const before = commitOf(`${change}^1`, root);
    if (before) found.push({ commit: before, why: `proto/ before ${short(change)} changed it` });
  }
  // A change that left proto/ as an earlier commit had it (a revert) needs no second run.
  const trees = new Set();
  const distinct = found.filter(({ commit }) => {
    const tree = git(['rev-parse', '--verify', '--quiet', `${commit}:proto`], root).stdout.trim();
    if (trees.has(tree)) return false;
    trees.add(tree);
    return true;
  });
  if (git(['rev-parse', '--is-shallow-repository'], root).stdout.trim() === 'true' && found.length <= PREVIOUS_VERSIONS) {
    process.stderr.write(
      `contract gate: shallow clone, checked against ${distinct.length} version(s) of proto/; git fetch --unshallow checks all\n`,
    );
  }
  return distinct;
}

/** proto/ as `commit` holds it, written under `into`; undefined when that commit had no proto/. */
function protoAt(root, commit, into) {
  const archive = spawnSync('git', ['archive', '--format=tar', commit, 'proto'], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  if (archive.status !== 0) return undefined;
  mkdirSync(into, { recursive: true });
  const tar = spawnSync('tar', ['-x', '-C', into], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`could not unpack proto/ of ${short(commit)}: ${tar.stderr}`);
  return path.join(into, 'proto');
}

/** Runs buf; resolves with its exit code and everything it printed. */
function runBuf(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(buf, args);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Lints protoDir and checks it against each baseline; resolves with the problems, none when it passes. */
export async function checkContracts(root, protoDir = path.join(root, 'proto')) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'homeward-contract-gate-'));
  try {
    const checks = [runBuf(['lint', protoDir]).then(({ code, output }) => (code === 0 ? undefined : `buf lint:\n${output}`))];
    for (const [index, { commit, why }] of baselines(root).entries()) {
      const against = protoAt(root, commit, path.join(scratch, String(index)));
      if (!against) continue;
      checks.push(
        runBuf(['breaking', protoDir, '--against', against]).then(({ code, output }) =>
          code === 0 ? undefined : `buf breaking against ${short(commit)} (${why}):\n${output}`,
        ),
      );
    }
    return (await Promise.all(checks)).filter(Boolean);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = git(['rev-parse', '--show-toplevel'], process.cwd()).stdout.trim();
  const problems = await checkContracts(root, process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  if (problems.length > 0) {
    process.stderr.write('contract gate: failed. A breaking change goes into a new package version (docs/contracts.md)\n');
    process.exit(1);
  }
  process.stdout.write('contract gate: proto/ lints clean and breaks nothing main published\n');
}
