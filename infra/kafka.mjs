#!/usr/bin/env node
// A real, single-node Apache Kafka broker (KRaft, broker+controller) from Maven Central jars,
// bound to loopback only. Usage: node infra/kafka.mjs start|stop|status|fetch
//
// Configuration (environment):
//   KAFKA_PORT            broker port (default 9092)
//   KAFKA_CONTROLLER_PORT controller port (default 9093)
//   KAFKA_HOME_DIR        its pid file, server.properties and kafka.log (default .local/kafka)
//   KAFKA_DATA_DIR        log directory (default <KAFKA_HOME_DIR>/data)
//   KAFKA_HEAP            JVM heap (default 512m)
//
// kafkaBroker({ port, controllerPort, homeDir, dataDir, heap }) is one more broker with files of
// its own, beside the default one: the fault tests SIGKILL and restart theirs, never the shared one.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureDir, localDir, log, root, run, sleep } from './common.mjs';

const kafkaDir = path.join(localDir, 'kafka');
// The jars are shared by every broker; everything else belongs to one broker's home directory.
const libsDir = path.join(kafkaDir, 'libs');
const host = '127.0.0.1';
const defaultPort = Number(process.env.KAFKA_PORT ?? 9092);

export function fetchJars() {
  const stamp = path.join(libsDir, '.fetched');
  if (existsSync(stamp)) return;
  log('fetching Apache Kafka from Maven Central (once)…');
  rmSync(libsDir, { recursive: true, force: true });
  ensureDir(libsDir);
  run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(root, 'infra/kafka/pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${libsDir}`,
    '-DincludeScope=runtime',
  ]);
  if (!readdirSync(libsDir).some((file) => file.startsWith('kafka_2.13'))) {
    throw new Error('Maven did not deliver kafka_2.13; see infra/kafka/pom.xml');
  }
  writeFileSync(stamp, new Date().toISOString());
}

function java(mainClass, args, options = {}) {
  return ['-cp', `${libsDir}/*`, ...(options.jvm ?? []), mainClass, ...args];
}

/** Sends a Kafka ApiVersions request and resolves true when the broker answers it. */
export function brokerAnswers(brokerHost = host, brokerPort = defaultPort, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: brokerHost, port: brokerPort });
    const clientId = Buffer.from('homeward-infra');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0); // ApiVersions
    body.writeInt16BE(0, 2); // version 0
    body.writeInt32BE(1, 4); // correlation id
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    let received = Buffer.alloc(0);
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      // size(4) correlationId(4) errorCode(2)
      if (received.length >= 10) finish(received.readInt32BE(4) === 1 && received.readInt16BE(8) === 0);
    });
  });
}

/**
 * One broker: its ports, home directory (pid file, properties, log) and data directory. With no
 * argument it is the default broker of `npm start` / `npm test`, configured by the environment.
 */
export function kafkaBroker(options = {}) {
  const port = Number(options.port ?? defaultPort);
  const controllerPort = Number(options.controllerPort ?? process.env.KAFKA_CONTROLLER_PORT ?? 9093);
  const homeDir = path.resolve(options.homeDir ?? process.env.KAFKA_HOME_DIR ?? kafkaDir);
  const dataDir = path.resolve(options.dataDir ?? (options.homeDir ? undefined : process.env.KAFKA_DATA_DIR) ?? path.join(homeDir, 'data'));
  const heap = options.heap ?? process.env.KAFKA_HEAP ?? '512m';
  const pidFile = path.join(homeDir, 'kafka.pid');
  const logFile = path.join(homeDir, 'kafka.log');
  const propsFile = path.join(homeDir, 'server.properties');

  function writeProperties() {
    const props = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.bootstrap.servers': `${host}:${controllerPort}`,
      listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${host}:${port}`,
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'log.dirs': dataDir,
      'num.partitions': '6',
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '6',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'log.retention.ms': '-1',
      'num.network.threads': '2',
      'num.io.threads': '4',
    };
    writeFileSync(
      propsFile,
      Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
  }

  function formatStorageOnce() {
    if (existsSync(path.join(dataDir, 'meta.properties'))) return;
    ensureDir(dataDir);
    // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding; like Kafka's own
    // Uuid.randomUuid, never one that starts with '-', which the storage tool reads as an option
    // (one format in 64 failed that way).
    let clusterId;
    do clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-'));
    log(`formatting Kafka storage in ${path.relative(root, dataDir) || dataDir}`);
    const out = openSync(logFile, 'a');
    try {
      run('java', java('kafka.tools.StorageTool', ['format', '--standalone', '-t', clusterId, '-c', propsFile]), {
        stdio: ['ignore', out, out],
      });
    } finally {
      closeSync(out);
    }
  }

  function readPid() {
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  async function waitForBroker(timeoutMs = 90_000, exited = () => false) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await brokerAnswers(host, port)) return;
      if (exited()) throw new Error(`Kafka exited before it answered on ${host}:${port} (log: ${logFile})`);
      await sleep(500);
    }
    throw new Error(`Kafka did not answer on ${host}:${port} within ${timeoutMs} ms (log: ${logFile})`);
  }

  /** Starts the broker unless one already answers; resolves with { started, pid }. */
  async function start({ timeoutMs = 90_000 } = {}) {
    if (await brokerAnswers(host, port)) {
      log(`Kafka already answering on ${host}:${port}`);
      return { started: false, pid: readPid() };
    }
    fetchJars();
    ensureDir(homeDir);
    writeProperties();
    formatStorageOnce();
    const out = openSync(logFile, 'a');
    const child = spawn(
      'java',
      java('kafka.Kafka', [propsFile], {
        jvm: [
          `-Xms${heap}`,
          `-Xmx${heap}`,
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-XX:TieredStopAtLevel=1',
          '-Djava.awt.headless=true',
          '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        ],
      }),
      { cwd: homeDir, detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    let exited = false;
    child.once('exit', () => (exited = true));
    child.unref();
    writeFileSync(pidFile, String(child.pid));
    log(`starting Kafka ${host}:${port} (pid ${child.pid}, log ${path.relative(root, logFile)})`);
    await waitForBroker(timeoutMs, () => exited);
    log('Kafka is up');
    return { started: true, pid: child.pid };
  }

  /** Resolves once the process is gone; false when it was still there after timeoutMs. */
  async function waitGone(pid, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
        await sleep(100);
      } catch {
        return true;
      }
    }
    return false;
  }

  async function stop() {
    const pid = readPid();
    if (!pid) {
      log('Kafka is not running (no live pid file)');
      return;
    }
    process.kill(pid, 'SIGTERM');
    if (await waitGone(pid, 30_000)) {
      rmSync(pidFile, { force: true });
      log('Kafka stopped');
      return;
    }
    process.kill(pid, 'SIGKILL');
    rmSync(pidFile, { force: true });
    log('Kafka killed after 30 s');
  }

  /** A crash: SIGKILL through the pid file, no clean shutdown. Resolves once the JVM is gone. */
  async function kill(signal = 'SIGKILL') {
    const pid = readPid();
    if (!pid) throw new Error(`no live Kafka pid in ${pidFile}`);
    process.kill(pid, signal);
    if (!(await waitGone(pid, 30_000))) throw new Error(`Kafka pid ${pid} still alive 30 s after ${signal}`);
    rmSync(pidFile, { force: true });
  }

  return {
    host,
    port,
    controllerPort,
    homeDir,
    dataDir,
    logFile,
    brokers: `${host}:${port}`,
    answers: () => brokerAnswers(host, port),
    waitForBroker,
    start,
    stop,
    kill,
    pid: readPid,
  };
}

const defaultBroker = kafkaBroker();

export async function waitForBroker(timeoutMs = 90_000, brokerHost = host, brokerPort = defaultBroker.port) {
  if (brokerHost === host && brokerPort === defaultBroker.port) return defaultBroker.waitForBroker(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await brokerAnswers(brokerHost, brokerPort)) return;
    await sleep(500);
  }
  throw new Error(`Kafka did not answer on ${brokerHost}:${brokerPort} within ${timeoutMs} ms`);
}

export const start = () => defaultBroker.start();
export const stop = defaultBroker.stop;
export const kafkaPid = defaultBroker.pid;

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2] ?? 'status';
  const actions = {
    fetch: async () => fetchJars(),
    start,
    stop,
    status: async () => log((await defaultBroker.answers()) ? `Kafka answers on ${host}:${defaultBroker.port}` : 'Kafka is down'),
  };
  if (!actions[command]) {
    console.error('usage: node infra/kafka.mjs start|stop|status|fetch');
    process.exit(2);
  }
  actions[command]().catch((error) => {
    console.error(`[homeward] ${error.message}`);
    process.exit(1);
  });
}
