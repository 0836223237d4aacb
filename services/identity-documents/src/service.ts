// The identity-documents service, startable in-process (tests) or from main.ts: its event store
// (personal values sealed with the person's key), the erasure consumer of intake's topic, and gRPC.
import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import { topicOf } from '@homeward/messaging';
import { masterKeysFromEnv, PersonKeys, personalDataSealer, requestKeyOf, type MasterKeys } from '@homeward/personal-data';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { forgetPersonConsumer } from './forget-person/forget-person.consumer.js';
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
  /** Where PersonForgotten comes from. Default: IDENTITY_DOCUMENTS_INTAKE_TOPIC, else homeward.intake.events.v1. */
  intakeTopic?: string;
  /** Consumer group of the erasures. Default: IDENTITY_DOCUMENTS_ERASURE_GROUP, else identity-documents.erasure. */
  erasureGroup?: string;
  /** Wrap the people's data keys. Default: HOMEWARD_MASTER_KEYS (required in production). */
  masterKeys?: MasterKeys;
}

export interface IdentityDocumentsService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  keys: PersonKeys;
  stop(): Promise<void>;
}

export async function startIdentityDocuments(options: IdentityDocumentsOptions = {}): Promise<IdentityDocumentsService> {
  // Before anything opens: a missing master key in production is a startup error.
  const masterKeys = options.masterKeys ?? masterKeysFromEnv();
  const keys = new PersonKeys(masterKeys);
  const runtime = await startRuntime({
    service: 'identity-documents',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    migrations,
    store: {
      source: 'identity-documents',
      topic: options.topic ?? topicOf('identity-documents'),
      projections: [personDocuments, undocumentedPeople],
      sealer: personalDataSealer({ context: 'identity-documents', keys }),
      requestKey: requestKeyOf(masterKeys, 'identity-documents'),
    },
    consumers: [
      (store) =>
        forgetPersonConsumer({
          groupId: options.erasureGroup ?? (process.env['IDENTITY_DOCUMENTS_ERASURE_GROUP'] || 'identity-documents.erasure'),
          intakeTopic: options.intakeTopic ?? (process.env['IDENTITY_DOCUMENTS_INTAKE_TOPIC'] || topicOf('intake')),
          keys,
          store,
        }),
    ],
  });
  const app = await startGrpcService({
    service: 'identity-documents',
    runtime,
    module: IdentityDocumentsModule.with(runtime, keys),
    url: options.grpcUrl ?? grpcBindAddress('identity-documents', 50052),
  });
  return {
    runtime,
    app,
    keys,
    async stop() {
      await app.close().catch(() => undefined);
      await runtime.stop();
    },
  };
}
