// The audit service, bootable in-process (tests) or from main.ts: its database (the copy of every
// event, the chain breaks, the access log), one consumer over every context's topic, and gRPC.
import type { INestMicroservice } from '@nestjs/common';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { AuditModule } from './audit.module.js';
import { copyEvents } from './copy-events/copy-events.js';
import { auditMigrations } from './migrations.js';

/** The contexts whose events are copied (topicOf honours KAFKA_TOPIC_PREFIX). */
export const auditedContexts = ['intake', 'identity-documents', 'legal', 'notifications'] as const;

export interface AuditOptions {
  databaseUrl?: string;
  grpcUrl?: string;
  /** Defaults to every audited context's topic, read at start (so a test can set the prefix first). */
  topics?: string[];
  /** Defaults to AUDIT_CONSUMER_GROUP or `audit.all` (KAFKA_GROUP_PREFIX is added by ConsumerRunner). */
  consumerGroup?: string;
}

export interface AuditService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startAudit(options: AuditOptions = {}): Promise<AuditService> {
  const runtime = await startRuntime({
    service: 'audit',
    databaseUrl: options.databaseUrl,
    migrations: auditMigrations,
    consumers: [
      {
        groupId: options.consumerGroup ?? (process.env.AUDIT_CONSUMER_GROUP || 'audit.all'),
        topics: options.topics ?? auditedContexts.map((context) => topicOf(context)),
        handle: copyEvents,
        // The copy is keyed by event id: a republished event is stored and judged once without an inbox.
        inbox: false,
      },
    ],
  });
  const app = await startGrpcService({
    service: 'audit',
    runtime,
    module: AuditModule.with(runtime),
    url: options.grpcUrl ?? grpcBindAddress('audit', 50055),
  });
  runtime.logger.info({}, 'audit started');

  let stopping: Promise<void> | null = null;
  return {
    runtime,
    app,
    stop: () =>
      (stopping ??= (async () => {
        await app.close().catch(() => undefined);
        await runtime.stop();
      })()),
  };
}
