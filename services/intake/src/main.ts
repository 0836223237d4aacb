import 'reflect-metadata';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, stopOnSignals } from '@homeward/service-kit';
import { IntakeModule } from './intake.module.js';
import { intakeMigrations } from './migrations.js';
import { personFile } from './person-file/person-file.projection.js';

const runtime = await startRuntime({
  service: 'intake',
  migrations: intakeMigrations,
  store: { source: 'intake', topic: topicOf('intake'), projections: [personFile] },
});
const app = await startGrpcService({
  service: 'intake',
  runtime,
  module: IntakeModule.with(runtime),
  url: grpcBindAddress('intake', 50051),
});
stopOnSignals(app, runtime);
