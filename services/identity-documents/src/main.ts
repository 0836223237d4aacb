import 'reflect-metadata';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, stopOnSignals } from '@homeward/service-kit';
import { IdentityDocumentsModule } from './identity-documents.module.js';
import { migrations } from './migrations.js';

const runtime = await startRuntime({
  service: 'identity-documents',
  migrations,
  store: { source: 'identity-documents', topic: topicOf('identity-documents'), projections: [] },
});
const app = await startGrpcService({
  service: 'identity-documents',
  runtime,
  module: IdentityDocumentsModule.with(runtime),
  url: grpcBindAddress('identity-documents', 50052),
});
stopOnSignals(app, runtime);
