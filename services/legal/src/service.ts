// The legal service, startable in-process (tests) or from main.ts: its own event store (cases and
// pattern indicators), the rules consumer of intake's and identity-documents' topics, and gRPC.
import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import type { EventStoreOptions } from '@homeward/eventsourcing';
import { topicOf } from '@homeward/messaging';
import { masterKeysFromEnv, PersonKeys, personalDataSealer, requestKeyOf, type MasterKeys } from '@homeward/personal-data';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { LegalModule } from './legal.module.js';
import { legalCases } from './legal-cases/legal-cases.projection.js';
import { legalMigrations } from './migrations.js';
import { patternSettingsFrom } from './pattern-settings.js';
import { personFactsReadModel, type PatternSettings } from './person-facts/person-facts.read-model.js';
import { patterns } from './patterns/patterns.projection.js';
import { legalRulesConsumer } from './rules/legal-rules.consumer.js';

export interface LegalOptions {
  /** Default: DATABASE_URL, else the local homeward_legal database. */
  databaseUrl?: string;
  /** Where gRPC listens. Default: LEGAL_GRPC_BIND / _GRPC_URL, else 127.0.0.1:50053. */
  grpcUrl?: string;
  /** Topics, by default the contexts' own; tests use topics of their own. */
  topics?: { legal?: string; intake?: string; identityDocuments?: string };
  /** Consumer group of the rules. Default: LEGAL_RULES_GROUP, else legal.rules. */
  rulesGroup?: string;
  /** When pattern indicators are raised, per batch and per release period. Default: from the environment (see pattern-settings.ts). */
  patterns?: Partial<PatternSettings>;
  /** Wrap the people's data keys. Default: HOMEWARD_MASTER_KEYS (required in production). */
  masterKeys?: MasterKeys;
}

export interface LegalService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startLegal(options: LegalOptions = {}): Promise<LegalService> {
  const rulesGroup = options.rulesGroup ?? process.env['LEGAL_RULES_GROUP'] ?? 'legal.rules';
  const patternSettings: PatternSettings = { ...patternSettingsFrom(), ...options.patterns };
  // Before anything opens: a missing master key in production is a startup error.
  const masterKeys = options.masterKeys ?? masterKeysFromEnv();
  const keys = new PersonKeys(masterKeys);
  // A case stream's subject is its person: the sealer encrypts the personal and identifying
  // fields of case events (evidence, reasoning, notes, references, flag summaries) with that
  // person's key. Pattern events carry none.
  const store: EventStoreOptions = {
    source: 'legal',
    topic: options.topics?.legal ?? topicOf('legal'),
    projections: [legalCases, patterns],
    sealer: personalDataSealer({ context: 'legal', keys }),
    requestKey: requestKeyOf(masterKeys, 'legal'),
  };
  const runtime = await startRuntime({
    service: 'legal',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    migrations: legalMigrations,
    store,
    consumers: [
      (legalStore) =>
        legalRulesConsumer({
          groupId: rulesGroup,
          topics: [options.topics?.intake ?? topicOf('intake'), options.topics?.identityDocuments ?? topicOf('identity-documents')],
          patterns: patternSettings,
          store: legalStore,
          keys,
        }),
    ],
  });
  const app = await startGrpcService({
    service: 'legal',
    runtime,
    module: LegalModule.with(runtime, keys),
    url: options.grpcUrl ?? grpcBindAddress('legal', 50053),
    consumerReadModels: [personFactsReadModel(rulesGroup, patternSettings)],
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
