// The one launcher for the built services, used by `npm start` (infra/start.mjs) and by the
// end-to-end tests. Each service runs as `node services/<name>/dist/main.js` from the repo root.
//
//   const services = await startServices({ env: { KAFKA_BROKERS, DATABASE_URL } });
//   await services.waitHealthy();
//   … await services.restart('intake'); await services.kill('legal'); …
//   await services.stop();
//
// Configuration (environment, or the env passed in, which wins):
//   GATEWAY_PORT (3000), GATEWAY_HOST (127.0.0.1)     the gateway's HTTP listener
//   <SERVICE>_GRPC_URL  where a service is reached:   INTAKE_GRPC_URL (127.0.0.1:50051),
//       IDENTITY_DOCUMENTS_GRPC_URL (…:50052), LEGAL_GRPC_URL (…:50053),
//       NOTIFICATIONS_GRPC_URL (…:50054), AUDIT_GRPC_URL (…:50055)
//   <SERVICE>_GRPC_BIND where the service listens (default: its _GRPC_URL)
//   DATABASE_URL        the admin URL; each service gets its own database on that server
//   JWT_PUBLIC_KEY_FILE, JWT_ISSUER, JWT_AUDIENCE   for the gateway (default: the dev key pair,
//                       unless JWKS_URL is set)
//   GRPC_CALLER_SECRET  sent by the gateway, checked by every service (default: the dev secret
//                       under .local/dev-keys, unless GRPC_TLS_CA/_CERT/_KEY set up mutual TLS)
//   HOMEWARD_MASTER_KEYS for intake and notifications: "<id>:<base64 key>,…", the first current
//                       (default outside production: the dev key under .local/dev-keys)
//   AUDIT_LOG_SIGNER_KEY[_FILE] for audit: the key that signs the log's checkpoints
//                       (default outside production: the dev key under .local/dev-keys)
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, isPortOpen, localDir, log, root } from './common.mjs';
import { crashError, lastLines, lineSplitter, waitUntil } from './child-output.mjs';
import { allServices, childEnvironment, grpcBindVar, grpcUrlVar, mainPathFor, resolveEndpoints } from './service-env.mjs';

export {
  allServices,
  DEFAULT_GATEWAY_PORT,
  envPrefix,
  grpcBindVar,
  grpcServices,
  grpcUrlVar,
  mainPathFor,
  resolveEndpoints,
} from './service-env.mjs';

const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 20;

/**
 * Spawns each built service and resolves, once every one accepts connections on its port, with
 * handles: { started, skipped, endpoints, gatewayUrl, logDir, pid(name), stop(), restart(name),
 * kill(name, signal), waitHealthy(timeoutMs) }. Services whose dist/main.js does not exist are
 * skipped (and logged). Rejects, after stopping the others, when a child exits during start-up.
 *
 * onExit(name, error) is called when a child exits later without being asked to (default: log).
 */
export async function startServices({
  env = {},
  services = allServices,
  logDir = path.join(localDir, 'logs'),
  echo = false,
  startTimeoutMs = 60_000,
  onExit = (_name, error) => log(error.message),
} = {}) {
  const base = { ...process.env, ...env };
  const endpoints = resolveEndpoints(base);
  ensureDir(logDir);
  for (const name of services)
    if (!allServices.includes(name)) throw new Error(`unknown service ${name}; known: ${allServices.join(', ')}`);

  const ordered = allServices.filter((name) => services.includes(name));
  const toStart = ordered.filter((name) => existsSync(mainPathFor(name)));
  const skipped = ordered.filter((name) => !toStart.includes(name));
  if (skipped.length) log(`not built yet, skipped: ${skipped.join(', ')} (no services/<name>/dist/main.js)`);

  // A port already taken is most often a second `npm start`; say so rather than let a child die.
  for (const name of toStart) {
    const { host, port } = endpoints[name].probe;
    if (await isPortOpen(host, port)) {
      const variable = name === 'gateway' ? 'GATEWAY_PORT' : `${grpcBindVar(name)}/${grpcUrlVar(name)}`;
      throw new Error(`port ${port} for ${name} is already in use (another npm start?); set ${variable} to use another`);
    }
  }

  const width = Math.max(...toStart.map((name) => name.length), 0);
  const procs = new Map();
  let startupFailure;

  function spawnService(name, { append }) {
    const logPath = path.join(logDir, `${name}.log`);
    const proc = { name, logPath, tail: [], expected: false, exited: false, exitCode: null, exitSignal: null };
    // Echoed, every line passes through this process on its way to the terminal and the log.
    // Not echoed (tests, bench), the child writes its log file itself: a service's log line then
    // costs no pipe hand-over and no work here, and the tail is read back from the file on exit.
    const logFd = echo ? null : openSync(logPath, append ? 'a' : 'w');
    const logStream = echo ? createWriteStream(logPath, { flags: append ? 'a' : 'w' }) : null;
    let child;
    try {
      child = spawn(process.execPath, [mainPathFor(name)], {
        cwd: root,
        env: childEnvironment(name, base, endpoints),
        stdio: echo ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
        // Its own process group: a Ctrl-C in the terminal reaches only the parent, which then
        // stops the children in order instead of seeing them all "crash" at once.
        detached: true,
      });
    } finally {
      if (logFd !== null) closeSync(logFd); // the child holds its own copy
    }
    proc.child = child;
    const prefix = `[${name}]`.padEnd(width + 2);
    const onLine = (line) => {
      proc.tail.push(line);
      if (proc.tail.length > TAIL_LINES) proc.tail.shift();
      process.stdout.write(`${prefix} ${line}\n`);
    };
    if (echo) {
      for (const stream of [child.stdout, child.stderr]) {
        stream.pipe(logStream, { end: false });
        lineSplitter(stream, onLine);
      }
    }
    proc.done = new Promise((resolve) => {
      const finish = (code, signal) => {
        if (proc.exited) return;
        Object.assign(proc, { exited: true, exitCode: code, exitSignal: signal });
        if (logStream) logStream.end();
        else proc.tail.push(...lastLines(logPath, TAIL_LINES));
        if (!proc.expected) {
          const error = crashError(proc, proc.ready ? 'while running' : 'during start-up');
          if (proc.ready) onExit(name, error);
          else startupFailure ??= error;
        }
        resolve();
      };
      // 'close' rather than 'exit': by then all of its output is in the tail and the log.
      child.once('close', finish);
      child.once('error', (error) => {
        proc.tail.push(`spawn failed: ${error.message}`);
        finish(null, null);
      });
    });
    procs.set(name, proc);
    return proc;
  }

  async function waitListening(list, timeoutMs) {
    const pending = new Set(list.map((p) => p.name));
    const ok = await waitUntil(
      async () => {
        for (const name of [...pending]) {
          const { host, port } = endpoints[name].probe;
          if (await isPortOpen(host, port)) {
            pending.delete(name);
            procs.get(name).ready = true;
          }
        }
        return pending.size === 0;
      },
      { timeoutMs, failure: () => startupFailure },
    );
    if (ok === false)
      throw new Error(`not listening after ${timeoutMs} ms: ${[...pending].join(', ')} (logs in ${path.relative(root, logDir)})`);
  }

  async function stopOne(proc, signal = 'SIGTERM') {
    if (proc.exited) return;
    proc.expected = true;
    try {
      process.kill(proc.child.pid, signal);
    } catch {
      // Already gone between the check and the signal.
    }
    const timer = setTimeout(() => {
      if (!proc.exited) {
        log(`${proc.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
        try {
          process.kill(proc.child.pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
    }, STOP_GRACE_MS);
    await proc.done;
    clearTimeout(timer);
  }

  // If this process ends without stop() (an uncaught error, process.exit), take the children
  // along: they are in their own process group and would otherwise keep the ports.
  const killAllNow = () => {
    for (const proc of procs.values()) {
      if (!proc.exited) {
        try {
          process.kill(proc.child.pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    }
  };
  process.on('exit', killAllNow);

  const handles = {
    started: toStart,
    skipped,
    endpoints,
    gatewayUrl: endpoints.gateway.url,
    logDir,
    pid: (name) => procs.get(name)?.child.pid,

    /** SIGTERM to every child, SIGKILL to those still there after 10 s. */
    async stop() {
      await Promise.all([...procs.values()].map((proc) => stopOne(proc)));
      process.off('exit', killAllNow);
    },

    /** Stops one service (if running), starts it again, and resolves once it listens. */
    async restart(name, { timeoutMs = startTimeoutMs } = {}) {
      const previous = procs.get(name);
      if (!previous) throw new Error(`${name} was not started here`);
      await stopOne(previous);
      startupFailure = undefined;
      const proc = spawnService(name, { append: true });
      try {
        await waitListening([proc], timeoutMs);
      } finally {
        if (startupFailure?.service === name) startupFailure = undefined;
      }
    },

    /**
     * Sends a signal to one service (default SIGKILL, to simulate a crash); its exit then counts
     * as expected. Resolves once it has exited, or at once for a signal that does not end it.
     */
    async kill(name, signal = 'SIGKILL') {
      const proc = procs.get(name);
      if (!proc) throw new Error(`${name} was not started here`);
      if (proc.exited) return;
      const ending = !['SIGSTOP', 'SIGCONT', 'SIGTSTP', 'SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGWINCH'].includes(signal);
      if (ending) proc.expected = true;
      process.kill(proc.child.pid, signal);
      if (ending) await proc.done;
    },

    /**
     * Polls GET <gateway>/health until it answers 200 (the gateway reports the back ends' health
     * too) and resolves with its body. Rejects when a service exits meanwhile or on timeout.
     */
    async waitHealthy(timeoutMs = 60_000) {
      const gateway = procs.get('gateway');
      if (!gateway) throw new Error('the gateway is not running here (not built, or not in services)');
      let last = 'no answer yet';
      let body;
      const healthUrl = `${endpoints.gateway.url}/health`;
      const ok = await waitUntil(
        async () => {
          try {
            const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
            const text = await response.text();
            last = `HTTP ${response.status}`;
            if (response.status !== 200) return false;
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
            return true;
          } catch (error) {
            last = error.cause?.code ?? error.message;
            return false;
          }
        },
        {
          timeoutMs,
          intervalMs: 500,
          failure: () => {
            const crashed = [...procs.values()].find((proc) => proc.exited && !proc.expected);
            return crashed ? crashError(crashed, 'while waiting for health') : undefined;
          },
        },
      );
      if (ok === false) throw new Error(`${healthUrl} not healthy after ${timeoutMs} ms (last: ${last})`);
      return body;
    },
  };

  for (const name of toStart) spawnService(name, { append: false });
  if (toStart.length) log(`started ${toStart.join(', ')} (logs in ${path.relative(root, logDir) || logDir})`);
  try {
    await waitListening([...procs.values()], startTimeoutMs);
  } catch (error) {
    await handles.stop();
    throw error;
  }
  return handles;
}
