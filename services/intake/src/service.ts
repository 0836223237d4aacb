// The intake service, in-process: the runtime (database, event store with its inline read
// models, outbox relay) and the gRPC server. main.ts runs it; integration tests boot it too.
import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import { intakeUpcasters } from '@homeward/intake-domain';
import { topicOf } from '@homeward/messaging';
import { masterKeysFromEnv, PersonKeys, personalDataSealer, requestKeyOf, type MasterKeys } from '@homeward/personal-data';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { IntakeModule } from './intake.module.js';
import { intakeMigrations } from './migrations.js';
import { personFile } from './person-file/person-file.projection.js';
import { releaseBatchAnnouncements } from './release-batch-summary/release-batch-announcement.projection.js';

export interface IntakeOptions {
  /** Default: DATABASE_URL, else the local homeward_intake database. */
  databaseUrl?: string;
  /** Where gRPC listens. Default: INTAKE_GRPC_BIND, else INTAKE_GRPC_URL, else 127.0.0.1:50051. */
  grpcUrl?: string;
  /** Default: homeward.intake.events.v1; tests pass a topic of their own. */
  topic?: string;
  /** Wrap the people's data keys. Default: HOMEWARD_MASTER_KEYS (required in production). */
  masterKeys?: MasterKeys;
}

export interface IntakeService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startIntake(options: IntakeOptions = {}): Promise<IntakeService> {
  // Before anything opens: a missing master key in production is a startup error.
  const masterKeys = options.masterKeys ?? masterKeysFromEnv();
  const keys = new PersonKeys(masterKeys);
  const runtime = await startRuntime({
    service: 'intake',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    migrations: intakeMigrations,
    store: {
      source: 'intake',
      topic: options.topic ?? topicOf('intake'),
      projections: [personFile, releaseBatchAnnouncements],
      upcasters: intakeUpcasters,
      sealer: personalDataSealer({ context: 'intake', keys }),
      requestKey: requestKeyOf(masterKeys, 'intake'),
    },
  });
  const app = await startGrpcService({
    service: 'intake',
    runtime,
    module: IntakeModule.with(runtime, keys),
    url: options.grpcUrl ?? grpcBindAddress('intake', 50051),
  });
  return {
    runtime,
    app,
    async stop() {
      await app.close();
      await runtime.stop();
    },
  };
}
