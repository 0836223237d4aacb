// Boots the real gateway in-process for unit tests: fakes for the gRPC clients (fake-services.ts),
// a throwaway key pair for tokens (tokens.ts), and the log lines captured so tests can check what
// was (not) logged. Tests import all they need from here.
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import * as cookie from 'cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '@homeward/observability';
import { defaultAccessAlert, type AccessAlertConfig } from '../access/access-volume.js';
import { createGatewayApp } from '../app.js';
import { adminTargets, type AdminClients } from '../grpc/grpc-clients.js';
import type { RateLimitConfig } from '../http/rate-limit.js';
import { fakeServices, resetFakes, type FakeServices } from './fake-services.js';
import { testTokens, type TestTokens } from './tokens.js';

export { fakeClient, grpcFailure, type RecordedCall } from './fake-client.js';
export { adminFake } from './fake-services.js';
export * from './fixtures.js';

// Two CommonJS packages require() an ESM-only one, which Node does but Jest's loader (before Node
// 24.9) cannot: light-my-request (behind app.inject) needs `cookie`, handed over here as loaded
// through import; @fastify/static (Swagger UI's assets, not under test) is replaced by a no-op.
jest.mock('cookie', () => cookie);
jest.unstable_mockModule('@fastify/static', () => ({ default: async () => undefined }));

/** Unit tests send many requests with one token; a test of the limiter passes its own limits. */
const unlimited: RateLimitConfig = { perMinute: 1_000_000, burst: 1_000_000 };

export interface Harness extends FakeServices, Pick<TestTokens, 'token'> {
  app: NestFastifyApplication;
  /** Log lines written since the last reset. */
  logs: string[];
  reset(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Verify tokens against a JWKS served over HTTP, as in production, instead of a PEM key. */
  jwks?: boolean;
  rateLimit?: RateLimitConfig;
  accessAlert?: AccessAlertConfig;
}

export async function startGateway(options: HarnessOptions = {}): Promise<Harness> {
  const tokens = await testTokens({ jwks: options.jwks ?? false });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const fakes = fakeServices();

  const app = await createGatewayApp({
    admin: Object.fromEntries(adminTargets.map((service) => [service, fakes.admin[service].client])) as AdminClients,
    intake: fakes.intake.client,
    legal: fakes.legal.client,
    identityDocuments: fakes.identityDocuments.client,
    notifications: fakes.notifications.client,
    audit: fakes.audit.client,
    verifier: tokens.verifier,
    logger: createLogger('gateway', { level: 'debug', destination }),
    rateLimit: options.rateLimit ?? unlimited,
    accessAlert: options.accessAlert ?? defaultAccessAlert,
  });

  return {
    app,
    ...fakes,
    logs,
    token: tokens.token,
    reset() {
      resetFakes(fakes);
      logs.length = 0;
    },
    async close() {
      await app.close();
      await tokens.close();
    },
  };
}
