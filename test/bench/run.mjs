#!/usr/bin/env node
// `npm run bench`: installs and builds what is missing, brings up Kafka and PostgreSQL the way
// `npm test` does, runs every benchmark with its baseline, prints one table and writes
// test/bench/results/latest.json. BENCH_QUICK=1 runs small sizes (a smoke run, not figures).
// BENCH_SKIP_BUILD=1 trusts the dist/ already there (for repeated runs on one checkout).
// Only node: built-ins and infra/ are imported up here: this runs before anything is installed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, log, root, run } from '../../infra/common.mjs';
import { provideInfrastructure } from '../../infra/environment.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
// A development run: the services' development defaults apply only under this switch.
process.env.HOMEWARD_DEV = '1';

async function main() {
  ensureDependencies();
  if (!existsSync(path.join(benchDir, 'node_modules', '.package-lock.json'))) {
    // Its own package, not a workspace: Emmett's PostgreSQL store needs uuid 10, the root has 14.
    log('installing the benchmark dependencies (npm ci --prefix test/bench)…');
    run('npm', ['ci', '--prefix', path.relative(root, benchDir), '--no-audit', '--no-fund']);
  }
  if (process.env.BENCH_SKIP_BUILD === '1') log('BENCH_SKIP_BUILD=1: using the dist/ already built');
  else run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=stream'], { env: { ...process.env, NX_DAEMON: 'false' } });

  const infra = await provideInfrastructure({ allowContainers: true });
  Object.assign(process.env, infra.env);
  try {
    const { runSuite } = await import('./suite.mjs');
    await runSuite();
  } finally {
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[homeward] bench: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
