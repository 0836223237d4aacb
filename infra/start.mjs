#!/usr/bin/env node
// `npm start`: installs what is missing, builds, brings up Kafka (the local broker unless
// KAFKA_BROKERS is set) and PostgreSQL (DATABASE_URL or 127.0.0.1:5432), creates the databases,
// topics and dev signing key, starts every built service and waits until the gateway is healthy.
// Ctrl-C stops the services, and the Kafka broker if this run started it.
//
// Configuration (environment): KAFKA_BROKERS, DATABASE_URL, KAFKA_TOPIC_PARTITIONS,
// KAFKA_REPLICATION_FACTOR, GATEWAY_PORT, <SERVICE>_GRPC_URL, JWT_PUBLIC_KEY_FILE, JWT_ISSUER,
// JWT_AUDIENCE (see services.mjs), HEALTH_TIMEOUT_MS (default 120000), and the KAFKA_* of kafka.mjs.
import path from 'node:path';
import { ensureDependencies, log, root, run } from './common.mjs';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from './dev-keys.mjs';
import { provideInfrastructure } from './environment.mjs';
import { preparePostgres } from './postgres.mjs';
import { startServices } from './services.mjs';
import { ensureTopics } from './topics.mjs';

// A development run: the services' development defaults apply only under this switch (README, Security).
process.env.HOMEWARD_DEV = '1';

const healthTimeoutMs = Number(process.env.HEALTH_TIMEOUT_MS ?? 120_000);

let infra;
let services;
let stopping = false;
// Until the gateway is healthy a crash is reported by the rejected start-up; after that, by onExit.
let running = false;

async function shutdown(reason, code = 0) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping…`);
  try {
    if (services) await services.stop();
    // Only what this run started: a broker that was already running is left alone.
    if (infra) await infra.stop();
  } catch (error) {
    console.error(`[homeward] while stopping: ${error.message}`);
    code ||= 1;
  }
  process.exit(code);
}

function onSignal(signal) {
  // A second Ctrl-C means "now": children still there are SIGKILLed by services.mjs's exit hook.
  if (stopping) {
    log('stopping immediately');
    process.exit(130);
  }
  void shutdown(signal, 0);
}

function banner(gatewayUrl, handles) {
  const logs = path.relative(root, handles.logDir) || handles.logDir;
  const lines = [
    '',
    'Homeward is running.',
    `  Gateway   ${gatewayUrl}`,
    `  API docs  ${gatewayUrl}/docs   (OpenAPI document: ${gatewayUrl}/openapi.json)`,
    `  Health    ${gatewayUrl}/health   (details: /health/details and metrics: /metrics, with an operator token)`,
    `  Logs      ${logs}/<service>.log`,
    '',
    'Get a development token (roles: intake, documents, legal, notifications, operator, auditor, admin):',
    '  TOKEN=$(npm run -s token -- --role intake)',
    '',
    'Register an (invented) person:',
    `  curl -sS -X POST ${gatewayUrl}/v1/people \\`,
    '    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
    '    -d \'{"fullName":"Test Person","birthDate":"1980-01-01","citizenships":["BY"],"occupation":"journalist"}\'',
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function main() {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  ensureDependencies();
  log('building (nx run-many -t build)…');
  run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=stream'], { env: { ...process.env, NX_DAEMON: 'false' } });

  infra = await provideInfrastructure({ allowContainers: false });
  if (stopping) return;
  await preparePostgres(infra.env.DATABASE_URL);
  await ensureTopics(infra.env.KAFKA_BROKERS);
  if (stopping) return;

  const keys = ensureDevKeys();
  const env = {
    ...infra.env,
    JWT_PUBLIC_KEY_FILE: process.env.JWT_PUBLIC_KEY_FILE ?? keys.publicKeyPath,
    JWT_ISSUER: process.env.JWT_ISSUER ?? DEV_ISSUER,
    JWT_AUDIENCE: process.env.JWT_AUDIENCE ?? DEV_AUDIENCE,
  };
  services = await startServices({
    env,
    echo: true,
    // A crash after start-up is reported; the rest keep running so the others' logs stay readable.
    onExit: (name, error) => {
      if (running && !stopping)
        console.error(
          `\n[homeward] ✘ ${error.message}\n[homeward] ${name} is down; fix it and run npm start again (Ctrl-C to stop the rest)\n`,
        );
    },
  });
  if (stopping) return;

  if (services.started.length === 0) {
    return shutdown('no service is built yet (no services/<name>/dist/main.js)', 1);
  }
  // Stay up until Ctrl-C even if every child dies: the broker this run started must be stopped.
  setInterval(() => {}, 1 << 30);
  if (!services.started.includes('gateway')) {
    running = true;
    log(`the gateway is not built yet; running without it: ${services.started.join(', ')}. Ctrl-C stops them.`);
    return;
  }
  log(`waiting for ${services.gatewayUrl}/health…`);
  await services.waitHealthy(healthTimeoutMs);
  if (stopping) return;
  running = true;
  banner(services.gatewayUrl, services);
}

main().catch((error) => {
  if (stopping) return;
  // A service's crash carries its log tail, which says more than our stack.
  console.error(`[homeward] npm start failed: ${error.service ? error.message : (error.stack ?? error.message)}`);
  void shutdown('start-up failed', 1);
});
