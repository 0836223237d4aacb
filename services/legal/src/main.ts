import 'reflect-metadata';
import { applyToDocuments } from '@homeward/eventsourcing';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, stopOnSignals } from '@homeward/service-kit';
import { LegalModule } from './legal.module.js';
import { legalCases } from './legal-cases/legal-cases.projection.js';
import { legalMigrations } from './migrations.js';

const runtime = await startRuntime({
  service: 'legal',
  migrations: legalMigrations,
  consumers: [
    {
      groupId: 'legal.intake-facts',
      topics: [topicOf('intake')],
      handle: async (tx, events) => void (await applyToDocuments(tx, legalCases, events)),
    },
  ],
});
const app = await startGrpcService({
  service: 'legal',
  runtime,
  module: LegalModule.with(runtime),
  url: grpcBindAddress('legal', 50053),
});
stopOnSignals(app, runtime);
