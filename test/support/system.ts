// Runs the real system for an end-to-end test: the built services as child processes (through the
// same launcher as `npm start`), against the Kafka and PostgreSQL that `npm test` provides, with
// databases and ports of their own so that nothing else running on the machine is touched.
import path from 'node:path';
import pg from 'pg';
import { databaseAdminUrl, freePort, kafkaBrokers, uniqueName } from '@homeward/testing';
import { root } from '@homeward/infra/common.mjs';
import { databaseNameFor, dropPostgres, preparePostgres } from '@homeward/infra/postgres.mjs';
import { startServices } from '@homeward/infra/services.mjs';
import { mintDevToken } from '@homeward/infra/token.mjs';
import { contextTopics, deleteTopicsMatching, ensureTopics } from '@homeward/infra/topics.mjs';
import { answerChecker, type AnswerChecker, type OpenApiDocument } from './answer-schema.js';

export type ServiceName = 'intake' | 'legal' | 'identity-documents' | 'notifications' | 'audit' | 'gateway';

export interface HttpResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface System {
  gatewayUrl: string;
  prefix: string;
  logDir: string;
  token(role: string, sub?: string): string;
  http<T = Record<string, unknown>>(
    method: string,
    route: string,
    options?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string>; timeoutMs?: number },
  ): Promise<HttpResponse<T>>;
  database(service: Exclude<ServiceName, 'gateway'>): Promise<pg.Client>;
  restart(service: ServiceName): Promise<void>;
  kill(service: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Settings for the services, e.g. SMTP_URL, WEBHOOK_SECRET, WELFARE_CHECK_AFTER. */
  env?: Record<string, string>;
  /** A broker of the test's own (host:port,…) instead of the shared KAFKA_BROKERS. */
  brokers?: string;
  /** Database and topic prefix; default hw_e2e. */
  prefix?: string;
}

export async function startSystem(services: ServiceName[], options: SystemOptions = {}): Promise<System> {
  const prefix = uniqueName(options.prefix ?? 'hw_e2e');
  const brokers = options.brokers?.split(',') ?? kafkaBrokers();
  const backEnds = services.filter((name) => name !== 'gateway');
  await preparePostgres(databaseAdminUrl(), backEnds, prefix);
  const topicPrefix = `${prefix}.`;
  const topics = contextTopics.map((topic) => `${topicPrefix}${topic}`);
  await ensureTopics(brokers.join(','), topics);
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers.join(','),
    DATABASE_URL: databaseAdminUrl(),
    HOMEWARD_DATABASE_PREFIX: prefix,
    KAFKA_GROUP_PREFIX: `${prefix}.`,
    // Topics of its own: deterministic ids (an imported batch) never meet another run's events.
    KAFKA_TOPIC_PREFIX: topicPrefix,
    GATEWAY_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
    // The scenarios send thousands of requests with one token; a test of the limit sets its own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_BURST: '1000000',
    ...options.env,
  };
  for (const name of ['intake', 'identity-documents', 'legal', 'notifications', 'audit']) {
    env[`${name.toUpperCase().replaceAll('-', '_')}_GRPC_URL`] = `127.0.0.1:${await freePort()}`;
  }
  const logDir = path.join(root, '.local', 'logs', prefix);
  const handles = await startServices({ env, services, logDir });
  const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT}`;
  // Every answer is checked against the gateway's own /openapi.json, what typed clients are made from.
  let checker: AnswerChecker | undefined;
  try {
    await handles.waitHealthy(90_000);
    if (services.includes('gateway'))
      checker = answerChecker((await (await fetch(`${gatewayUrl}/openapi.json`)).json()) as OpenApiDocument);
  } catch (error) {
    await handles.stop(); // never leave a half-started system running behind a failed test
    throw error;
  }
  const defaultToken = mintDevToken({ role: 'admin', sub: 'e2e-admin' });
  // Also kept for stop(), so that a caller that takes a thrown request for a lost answer still fails.
  const mismatches: string[] = [];

  return {
    gatewayUrl,
    prefix,
    logDir,
    token: (role, sub = `e2e-${role}`) => mintDevToken({ role, sub }),
    async http(method, route, options = {}) {
      const token = options.token === undefined ? defaultToken : options.token;
      const response = await fetch(`${gatewayUrl}${route}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
      });
      const text = await response.text();
      const body = text ? JSON.parse(text) : {};
      const broken = text && checker ? checker.check(method, route, response.status, response.headers.get('content-type'), body) : [];
      if (broken.length) {
        mismatches.push(...broken);
        throw new Error(`The answer breaks /openapi.json:\n${broken.join('\n')}`);
      }
      return { status: response.status, headers: response.headers, body };
    },
    async database(service) {
      const url = new URL(databaseAdminUrl());
      url.pathname = `/${databaseNameFor(service, prefix)}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      return client;
    },
    async restart(service) {
      await handles.restart(service);
      await handles.waitHealthy(90_000);
    },
    async kill(service, signal = 'SIGKILL') {
      await handles.kill(service, signal);
    },
    async stop() {
      await handles.stop();
      await dropPostgres(databaseAdminUrl(), backEnds, prefix);
      // Left to the end of the run (infra/test.mjs deletes its tagged topics) if this fails.
      await deleteTopicsMatching(brokers.join(','), (topic: string) => topic.startsWith(topicPrefix)).catch(() => undefined);
      if (mismatches.length) throw new Error(`Answers broke /openapi.json:\n${[...new Set(mismatches)].join('\n')}`);
    },
  };
}
