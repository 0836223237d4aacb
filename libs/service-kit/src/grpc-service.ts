// Boots a context's gRPC server: Nest's gRPC transport on the proto from @homeward/contracts,
// the one error filter, a Health method, and an orderly shutdown of the runtime behind it.
import path from 'node:path';
import { Controller, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { adminGrpcService, grpcLoaderOptions, grpcServices, protoRoot, type common } from '@homeward/contracts';
import { ServiceOperations, type ConsumerReadModel } from '@homeward/operations';
import {
  createTokenVerifier,
  grpcCallerAuthFromEnv,
  grpcServerSecurity,
  tokenVerifierConfigFromEnv,
  type GrpcCallerAuth,
  type GrpcMethodAccess,
  type TokenVerifier,
} from '@homeward/security';
import { adminController } from './admin.controller.js';
import { GrpcProblemFilter } from './grpc-problem.filter.js';
import type { ServiceRuntime } from './runtime.js';

export type GrpcServiceName = keyof typeof grpcServices;

/** A Health controller for one gRPC service: ready when the database answers. */
export function healthController(service: GrpcServiceName, runtime: ServiceRuntime) {
  @Controller()
  class HealthController {
    @GrpcMethod(grpcServices[service].service, 'Health')
    async health(): Promise<common.HealthResponse> {
      const database = await runtime.dataSource.query('SELECT 1').then(
        () => 'ok',
        () => 'down',
      );
      return { service, ready: database === 'ok', checks: { database } };
    }
  }
  return HealthController;
}

export interface GrpcServiceOptions {
  service: GrpcServiceName;
  runtime: ServiceRuntime;
  module: DynamicModule;
  url: string;
  /** Read models fed by a consumer group, for the admin surface (the inline ones come from the store). */
  consumerReadModels?: readonly ConsumerReadModel[];
  /** Who may call: the gateway's secret and/or mutual TLS; from the environment unless given. */
  callerAuth?: GrpcCallerAuth;
  /** Verifies the users' tokens the gateway forwards; the gateway's settings (JWT_*, JWKS_URL) unless given. */
  tokenVerifier?: TokenVerifier;
  /** Who may call which method; the one table of @homeward/security unless a test brings its own. */
  callers?: Readonly<Record<string, GrpcMethodAccess>>;
}

/** The operator surface of a runtime: what its admin gRPC service answers from. */
export function serviceOperations(runtime: ServiceRuntime, consumerReadModels: readonly ConsumerReadModel[] = []): ServiceOperations {
  return new ServiceOperations({
    service: runtime.service,
    dataSource: runtime.ownerDataSource,
    store: runtime.store,
    consumers: runtime.consumers,
    consumerReadModels,
  });
}

export async function startGrpcService({
  service,
  runtime,
  module,
  url,
  consumerReadModels,
  callerAuth,
  tokenVerifier,
  callers,
}: GrpcServiceOptions): Promise<INestMicroservice> {
  const definition = grpcServices[service];
  // Checked by a grpc-js interceptor, not a Nest guard: it runs before any handler, the admin
  // surface and Health included, and refuses on its own (UNAUTHENTICATED, PERMISSION_DENIED).
  const auth = callerAuth ?? grpcCallerAuthFromEnv();
  const verifier = tokenVerifier ?? createTokenVerifier(tokenVerifierConfigFromEnv());
  const security = grpcServerSecurity(auth, { verifier, ...(callers ? { callers } : {}) });
  const operations = serviceOperations(runtime, consumerReadModels);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    { ...module, controllers: [...(module.controllers ?? []), healthController(service, runtime), adminController(operations)] },
    {
      transport: Transport.GRPC,
      logger: ['error', 'warn'],
      // Two services on one port: the context's own and the admin service every context serves.
      options: {
        package: [definition.package, adminGrpcService.package],
        protoPath: [path.join(protoRoot, definition.file), path.join(protoRoot, adminGrpcService.file)],
        url,
        loader: grpcLoaderOptions,
        credentials: security.credentials,
        channelOptions: { interceptors: security.interceptors },
      },
    },
  );
  app.useGlobalFilters(new GrpcProblemFilter(runtime.logger));
  await app.listen();
  runtime.logger.info({ url, callerSecret: auth.secret !== undefined, mutualTls: auth.tls !== undefined }, 'gRPC server listening');
  return app;
}

/** Runs a service until SIGINT/SIGTERM, then closes the gRPC server and the runtime in order. */
export function stopOnSignals(app: INestMicroservice, runtime: ServiceRuntime): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, 'stopping');
    await app.close().catch(() => undefined);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
