// The identity-documents service, startable in-process (tests) or from main.ts.
import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { IdentityDocumentsModule } from './identity-documents.module.js';
import { migrations } from './migrations.js';
import { personDocuments } from './person-documents/person-documents.projection.js';
import { undocumentedPeople } from './undocumented-people/undocumented-people.projection.js';

export interface IdentityDocumentsOptions {
  /** Default: DATABASE_URL, else the local homeward_identity_documents database. */
  databaseUrl?: string;
  /** Where gRPC listens. Default: IDENTITY_DOCUMENTS_GRPC_BIND / _GRPC_URL, else 127.0.0.1:50052. */
  grpcUrl?: string;
  /** Default: homeward.identity-documents.events.v1; tests publish to a topic of their own. */
  topic?: string;
}

export interface IdentityDocumentsService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startIdentityDocuments(options: IdentityDocumentsOptions = {}): Promise<IdentityDocumentsService> {
  const runtime = await startRuntime({
    service: 'identity-documents',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    migrations,
    store: { source: 'identity-documents', topic: options.topic ?? topicOf('identity-documents'), projections: [personDocuments, undocumentedPeople] },
  });
  const app = await startGrpcService({
    service: 'identity-documents',
    runtime,
    module: IdentityDocumentsModule.with(runtime),
    url: options.grpcUrl ?? grpcBindAddress('identity-documents', 50052),
  });
  return {
    runtime,
    app,
    async stop() {
      await app.close().catch(() => undefined);
      await runtime.stop();
    },
  };
}
