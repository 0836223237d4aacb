// The intake service, in-process: the runtime (database, event store with its inline read
// models, outbox relay) and the gRPC server. main.ts runs it; integration tests boot it too.
import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import { topicOf } from '@homeward/messaging';
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
}

export interface IntakeService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startIntake(options: IntakeOptions = {}): Promise<IntakeService> {
  const runtime = await startRuntime({
    service: 'intake',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    migrations: intakeMigrations,
    store: { source: 'intake', topic: options.topic ?? topicOf('intake'), projections: [personFile, releaseBatchAnnouncements] },
  });
  const app = await startGrpcService({ service: 'intake', runtime, module: IntakeModule.with(runtime), url: options.grpcUrl ?? grpcBindAddress('intake', 50051) });
  return {
    runtime,
    app,
    async stop() {
      await app.close();
      await runtime.stop();
    },
  };
}
