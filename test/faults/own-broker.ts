// A Kafka broker of the test's own, on free ports with its own directory, so that killing it never
// touches the broker the other suites share (127.0.0.1:9092 or KAFKA_BROKERS).
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { uniqueName } from '@homeward/testing';
import { root } from '@homeward/infra/common.mjs';
import { kafkaBroker } from '@homeward/infra/kafka.mjs';

export interface OwnBroker {
  brokers: string;
  /** SIGKILL, as a crash: no controlled shutdown, no flush. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and data; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it and removes its directory, keeping its log as <logDir>/kafka.log when given. */
  remove(logDir?: string): Promise<void>;
}

const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A free port below the ephemeral range. While the broker is down its clients keep reconnecting,
 * and an outgoing socket may be given the very port the broker must bind again (or connect to
 * itself on it); ports the kernel never hands out as source ports avoid that.
 */
async function freePortBelowEphemeral(taken: number[] = []): Promise<number> {
  const range = '/proc/sys/net/ipv4/ip_local_port_range'; // Linux; elsewhere assume the IANA range (49152 up)
  const [low] = (existsSync(range) ? readFileSync(range, 'utf8') : '32768').trim().split(/\s+/).map(Number);
  const top = Math.min(low ?? 32_768, 32_768);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * (top - 20_000));
    if (!taken.includes(port) && (await bindable(port))) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

export async function startOwnBroker(): Promise<OwnBroker> {
  const homeDir = path.join(root, '.local', 'faults', uniqueName('kafka'));
  const port = await freePortBelowEphemeral();
  const broker = kafkaBroker({ port, controllerPort: await freePortBelowEphemeral([port]), homeDir, heap: '256m' });
  await broker.start();
  return {
    brokers: broker.brokers,
    kill: () => broker.kill('SIGKILL'),
    start: async () => {
      // A broker recovering its logs after a crash, on a loaded 2-core machine, can take a while.
      await broker.start({ timeoutMs: 150_000 });
    },
    async remove(logDir) {
      if (broker.pid()) await broker.kill('SIGKILL');
      if (logDir && existsSync(broker.logFile)) copyFileSync(broker.logFile, path.join(logDir, 'kafka.log'));
      rmSync(homeDir, { recursive: true, force: true });
    },
  };
}
