// Decides where Kafka and PostgreSQL come from, in this order:
//   1. KAFKA_BROKERS / DATABASE_URL when set;
//   2. Testcontainers when a container runtime answers (tests only);
//   3. the local broker from infra/kafka.mjs and the PostgreSQL server on 127.0.0.1:5432.
import { spawnSync } from 'node:child_process';
import { defaultDatabaseUrl, isPortOpen, log } from './common.mjs';
import * as kafka from './kafka.mjs';

function containerRuntimeAnswers() {
  if (process.env.HOMEWARD_NO_CONTAINERS === '1') return false;
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 5_000 });
  return result.status === 0;
}

/**
 * Resolves the infrastructure and returns { env, stop }. env holds KAFKA_BROKERS and DATABASE_URL;
 * stop() tears down only what this call started.
 */
export async function provideInfrastructure({ allowContainers = false } = {}) {
  const stops = [];
  const env = {};
  const useContainers = allowContainers && (!process.env.KAFKA_BROKERS || !process.env.DATABASE_URL) && containerRuntimeAnswers();

  if (process.env.KAFKA_BROKERS) {
    env.KAFKA_BROKERS = process.env.KAFKA_BROKERS;
    log(`Kafka: ${env.KAFKA_BROKERS} (KAFKA_BROKERS)`);
  } else if (useContainers) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('apache/kafka:4.1.1').withKraft().start();
    env.KAFKA_BROKERS = `${container.getHost()}:${container.getMappedPort(9093)}`;
    stops.push(() => container.stop());
    log(`Kafka: ${env.KAFKA_BROKERS} (Testcontainers)`);
  } else {
    const { started } = await kafka.start();
    env.KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;
    if (started) stops.push(() => kafka.stop());
    log(`Kafka: ${env.KAFKA_BROKERS} (local broker)`);
  }

  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = process.env.DATABASE_URL;
    log('PostgreSQL: DATABASE_URL');
  } else if (useContainers) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine').start();
    env.DATABASE_URL = container.getConnectionUri();
    stops.push(() => container.stop());
    log('PostgreSQL: Testcontainers');
  } else {
    if (!(await isPortOpen('127.0.0.1', 5432))) {
      throw new Error('No PostgreSQL: set DATABASE_URL or run a server on 127.0.0.1:5432');
    }
    env.DATABASE_URL = defaultDatabaseUrl;
    log('PostgreSQL: 127.0.0.1:5432');
  }

  return {
    env,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
