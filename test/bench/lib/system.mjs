// The whole system, started by the same launcher as `npm start` with databases, topics and groups
// of its own: propagation at a steady command rate (gateway answer to the event's row in the audit
// service's read model), gateway commands/s at 32 connections beside the cheapest route on the same
// gateway, and each service's peak RSS (VmHWM) over all of it.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { root } from '../../../infra/common.mjs';
import { databaseNameFor, databaseUrlFor, preparePostgres, servicesWithDatabase } from '../../../infra/postgres.mjs';
import { allServices, grpcServices, grpcUrlVar, startServices } from '../../../infra/services.mjs';
import { mintDevToken } from '../../../infra/token.mjs';
import { contexts, ensureTopics } from '../../../infra/topics.mjs';
import { cpuWindow, describeCpu } from './cpu.mjs';
import { ROUNDS, adminUrl, brokers, median, now, percentile, prefix, say, size, sleep, waitFor } from './kit.mjs';

export const CONNECTIONS = 32;
export const RATE = 200;
/** The gateway's liveness route: routing, the request hooks and the guard, no gRPC call. */
export const NOOP_ROUTE = 'GET /health/live';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startSystem() {
  await preparePostgres(adminUrl(), servicesWithDatabase, prefix);
  const topicPrefix = `${prefix}.`;
  await ensureTopics(
    brokers().join(','),
    contexts.map((context) => `${topicPrefix}homeward.${context}.events.v1`),
  );
  const env = {
    KAFKA_BROKERS: brokers().join(','),
    DATABASE_URL: adminUrl(),
    HOMEWARD_DATABASE_PREFIX: prefix,
    KAFKA_GROUP_PREFIX: topicPrefix,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    GATEWAY_PORT: String(await freePort()),
    // The per-caller limit (600/min) would answer most of a load test with 429: lift it, this
    // measures the path of a command, not the limiter.
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_BURST: '100000000',
    // BENCH_SERVICE_NODE_OPTIONS='--require /path/to/hook.cjs' profiles every service (Node refuses
    // --cpu-prof in NODE_OPTIONS: the hook uses node:inspector).
    ...(process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {}),
  };
  for (const { name } of grpcServices) env[grpcUrlVar(name)] = `127.0.0.1:${await freePort()}`;
  const handles = await startServices({ env, services: allServices, logDir: path.join(root, '.local', 'logs', prefix) });
  try {
    await handles.waitHealthy(120_000);
  } catch (error) {
    await handles.stop();
    throw error;
  }
  return handles;
}

const registration = JSON.stringify({ fullName: 'Invented Bench Person' });

// Kept-alive connections, as many as the load test uses: when the system falls behind, commands
// wait here in the client rather than open thousands of sockets the gateway then resets.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(url, token, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends `count` registrations at RATE per second (open loop). A command's acceptance is its
 * event's recordedAt (stamped in intake's append transaction, on this machine's clock); it is
 * visible when the poller first reads its row from the audit service's read model. Timed this
 * way, and not from the HTTP answer, an overloaded gateway that answers late cannot make the
 * figure look better than it is.
 */
async function propagation(gatewayUrl, token, audit, count) {
  const accepted = new Map();
  const seen = new Map();
  const failed = {};
  let [{ lastId }] = (await audit.query(`SELECT coalesce(max(id), 0)::text AS "lastId" FROM audit_events`)).rows;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const { rows } = await audit.query(
        `SELECT id::text, subject, recorded_at FROM audit_events WHERE id > $1 AND type = 'PersonRegistered' ORDER BY id`,
        [lastId],
      );
      const at = Date.now();
      for (const row of rows) if (!seen.has(row.subject)) seen.set(row.subject, at - Date.parse(row.recorded_at));
      if (rows.length > 0) lastId = rows[rows.length - 1].id;
      await sleep(5);
    }
  })();
  const send = async () => {
    try {
      const { status, body } = await post(`${gatewayUrl}/v1/people`, token, registration);
      if (status === 201) accepted.set(JSON.parse(body).id, true);
      else failed[status] = (failed[status] ?? 0) + 1;
    } catch (error) {
      failed[error.code ?? 'network'] = (failed[error.code ?? 'network'] ?? 0) + 1;
    }
  };
  const started = now();
  const inFlight = [];
  for (let i = 0; i < count; i += 1) {
    const due = started + (i * 1000) / RATE;
    if (due > now()) await sleep(due - now());
    inFlight.push(send());
  }
  const sentOver = now() - started;
  await Promise.all(inFlight);
  const answeredOver = now() - started;
  // Commands answered 201 must all arrive; ones that timed out at the gateway may have committed
  // too, and then count like any other.
  await waitFor(() => [...accepted.keys()].every((id) => seen.has(id)), { timeoutMs: 60_000, what: 'accepted commands in audit' }).catch(
    () => undefined,
  );
  polling = false;
  await poller;
  const latencies = [...seen.values()];
  return {
    commands: count,
    accepted: accepted.size,
    visible: seen.size,
    acceptedNotVisible: [...accepted.keys()].filter((id) => !seen.has(id)).length,
    failed: Object.values(failed).reduce((sum, n) => sum + n, 0),
    failures: failed,
    achievedRate: (count * 1000) / sentOver,
    /** What the system took: commands answered 201 per second, until the last answer. */
    acceptedRate: (accepted.size * 1000) / answeredOver,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function load(options) {
  const result = await autocannon({ connections: CONNECTIONS, ...options });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
  const seconds = result.duration || 1;
  return {
    requestsPerSecond: result['2xx'] / seconds,
    answersPerSecond: (result['2xx'] + result.non2xx) / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses,
  };
}

const peakRss = (pid) => {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

export async function benchSystem() {
  const handles = await startSystem();
  const audit = new pg.Client({
    connectionString: databaseUrlFor(adminUrl(), databaseNameFor('audit', prefix)),
    application_name: 'bench-propagation',
  });
  await audit.connect();
  try {
    const token = mintDevToken({ role: 'intake', sub: 'bench-intake' });
    const gatewayUrl = handles.gatewayUrl;
    await propagation(gatewayUrl, token, audit, RATE / 2); // warm-up: JIT, pools, consumer groups assigned
    const servicePids = Object.fromEntries(handles.started.map((name) => [name, handles.pid(name)]));
    // The system at rest: what idle consumers' polls and relays' safety polls cost.
    const rest = cpuWindow(servicePids, { databasePrefix: `${prefix}_` });
    await sleep(size(5_000, 1_000));
    const restingBusyShare = 1 - rest.stop(1).idleShare;
    const propagationWindow = cpuWindow(servicePids, { databasePrefix: `${prefix}_` });
    const steady = await propagation(gatewayUrl, token, audit, size(RATE * 20, RATE * 3));
    const propagationCpu = propagationWindow.stop(steady.accepted);
    say(
      `propagation, sent at ${steady.achievedRate.toFixed(0)}/s, accepted ${steady.acceptedRate.toFixed(0)}/s: ` +
        `p50 ${steady.p50.toFixed(1)} ms, p99 ${steady.p99.toFixed(1)} ms ` +
        `(${steady.accepted} accepted, failed: ${JSON.stringify(steady.failures)})`,
    );
    say(
      `CPU ms per command during propagation (idle ${(propagationCpu.idleShare * 100).toFixed(0)} %): ${describeCpu(propagationCpu)}; ` +
        `at rest the machine was ${(restingBusyShare * 100).toFixed(0)} % busy`,
    );

    const command = {
      url: `${gatewayUrl}/v1/people`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: registration,
    };
    const [method, route] = NOOP_ROUTE.split(' ');
    const noopRequest = { url: `${gatewayUrl}${route}`, method };
    await load({ ...command, duration: 2 }); // warm-up
    await load({ ...noopRequest, duration: 1 });
    // Interleaved rounds, median of each figure: load from elsewhere falls on both alike.
    const rounds = { commands: [], noop: [] };
    const cpuProfiles = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const window = cpuWindow(servicePids, { databasePrefix: `${prefix}_` });
      const result = await load({ ...command, duration: size(5, 2) });
      // Per command accepted; the consumers' share of this round's events may land a little after.
      cpuProfiles.push(window.stop(result.ok));
      rounds.commands.push(result);
      rounds.noop.push(await load({ ...noopRequest, duration: size(5, 2) }));
    }
    const summary = (list) => ({
      requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
      answersPerSecond: median(list.map((r) => r.answersPerSecond)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
      errors: list.reduce((sum, r) => sum + r.errors, 0),
      rounds: list,
    });
    const commands = summary(rounds.commands);
    const noop = summary(rounds.noop);
    say(
      `gateway POST /v1/people: ${commands.requestsPerSecond.toFixed(0)}/s p50 ${commands.p50} ms p99 ${commands.p99} ms ` +
        `(statuses ${JSON.stringify(rounds.commands.map((r) => r.statuses))}, errors ${commands.errors})`,
    );
    say(`gateway ${NOOP_ROUTE}: ${noop.answersPerSecond.toFixed(0)}/s p50 ${noop.p50} ms p99 ${noop.p99} ms`);
    const cpu =
      cpuProfiles[
        rounds.commands.indexOf([...rounds.commands].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(ROUNDS / 2)])
      ];
    say(`CPU ms per command (median round, idle ${(cpu.idleShare * 100).toFixed(0)} %): ${describeCpu(cpu)}`);

    const rss = Object.fromEntries(handles.started.map((name) => [name, peakRss(handles.pid(name))]));
    return { propagation: steady, commands, noop, rss, cpu, propagationCpu, restingBusyShare };
  } finally {
    agent.destroy();
    await audit.end();
    await handles.stop();
  }
}
