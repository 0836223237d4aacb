#!/usr/bin/env node
// `npm test`: installs what is missing, builds, lints, type-checks, runs the unit suites, then
// brings up real Kafka and PostgreSQL and runs the integration, end-to-end and fault-injection suites.
// Exits non-zero on the first failing step.
import { randomBytes } from 'node:crypto';
import { ensureDependencies, log, runAsync } from './common.mjs';
import { deleteTopicsMatching } from './topics.mjs';

// A development run: the services' development defaults apply only under this switch (README, Security).
process.env.HOMEWARD_DEV = '1';

const started = Date.now();
const results = [];

async function step(name, command, args, env = {}) {
  const t0 = Date.now();
  log(`▶ ${name}`);
  const code = await runAsync(command, args, { env: { ...process.env, NX_DAEMON: 'false', ...env } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  results.push({ name, ok: code === 0, seconds });
  log(`${code === 0 ? '✔' : '✘'} ${name} (${seconds} s)`);
  return code === 0;
}

function summary() {
  const failed = results.filter((r) => !r.ok).length;
  log(`steps: ${results.map((r) => `${r.ok ? '✔' : '✘'} ${r.name} ${r.seconds}s`).join(', ')}`);
  log(`npm test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return failed;
}

// --skip-nx-cache: a test run proves this checkout, not what a cache on this machine remembers.
const nx = (target, extra = []) => ['nx', 'run-many', '-t', target, '--output-style=stream', '--skip-nx-cache', ...extra];

async function main() {
  ensureDependencies();
  const fast = [
    ['build', 'npx', nx('build')],
    // ESLint, then Prettier's check: the layout is the formatter's, 140 columns at most (README, Contributing).
    ['lint', 'npm', ['run', '--silent', 'lint']],
    // buf lint and buf breaking against main as published (docs/contracts.md).
    ['contracts', 'node', ['libs/contracts/scripts/contract-gate.mjs']],
    ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']],
    ['unit tests', 'npx', nx('test-unit')],
  ];
  for (const [name, command, args] of fast) {
    if (!(await step(name, command, args))) return summary();
  }

  const { provideInfrastructure } = await import('./environment.mjs');
  const infra = await provideInfrastructure({ allowContainers: true });
  // Every name the suites make carries this run's tag (uniqueName in libs/testing): the topics
  // they leave in a shared broker are found and deleted at the end.
  const runTag = randomBytes(3).toString('hex');
  try {
    const env = { ...infra.env, HOMEWARD_TEST_RUN: runTag };
    if (!(await step('integration tests', 'npx', nx('test-int', ['--parallel=1']), env))) return summary();
    if (!(await step('end-to-end tests', 'npx', nx('test-e2e', ['--parallel=1']), env))) return summary();
    // Last: they kill and restart brokers, services and connections (their own broker, never the shared one).
    await step('fault tests', 'npx', nx('test-faults', ['--parallel=1']), env);
  } finally {
    await deleteTopicsMatching(infra.env.KAFKA_BROKERS, (topic) => topic.includes(`_${runTag}_`)).then(
      (deleted) => log(`deleted this run's ${deleted.length} test topics`),
      (error) => log(`could not delete this run's test topics (${error.message}); they stay in the broker`),
    );
    await infra.stop();
  }
  return summary();
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (error) => {
    console.error(`[homeward] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
