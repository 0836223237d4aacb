// The audit service, bootable in-process (tests) or from main.ts: its database (the copy of every
// event, the chain breaks, the access log), one consumer over every context's topic, and gRPC.
import type { INestMicroservice } from '@nestjs/common';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { AuditModule } from './audit.module.js';
import { copyEvents } from './copy-events/copy-events.js';
import { auditMigrations } from './migrations.js';
import { startCheckpointing } from './transparency-log/checkpoints.js';
import { logKeysFromEnv, type LogKeys } from './transparency-log/log-signer.js';

/** The contexts whose events are copied (topicOf honours KAFKA_TOPIC_PREFIX). */
export const auditedContexts = ['intake', 'identity-documents', 'legal', 'notifications'] as const;

export interface AuditOptions {
  databaseUrl?: string;
  grpcUrl?: string;
  /** Defaults to every audited context's topic, read at start (so a test can set the prefix first). */
  topics?: string[];
  /** Defaults to AUDIT_CONSUMER_GROUP or `audit.all` (KAFKA_GROUP_PREFIX is added by ConsumerRunner). */
  consumerGroup?: string;
  /** Defaults to the environment's (AUDIT_LOG_SIGNER_KEY[_FILE], AUDIT_WITNESS_KEYS). */
  logKeys?: LogKeys;
  /** How often a checkpoint is signed while the log grows: AUDIT_CHECKPOINT_INTERVAL_MS, default 5 s. */
  checkpointIntervalMs?: number;
}

export interface AuditService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startAudit(options: AuditOptions = {}): Promise<AuditService> {
  // Read before anything starts: a production audit without its log key refuses to start.
  const logKeys = options.logKeys ?? logKeysFromEnv();
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
    module: AuditModule.with(runtime, logKeys),
    url: options.grpcUrl ?? grpcBindAddress('audit', 50055),
  });
  const checkpointing = startCheckpointing(
    runtime.dataSource,
    logKeys,
    options.checkpointIntervalMs ?? checkpointIntervalFromEnv(),
    runtime.logger,
  );
  runtime.logger.info({ origin: logKeys.signer.name }, 'audit started');

  let stopping: Promise<void> | null = null;
  return {
    runtime,
    app,
    stop: () =>
      (stopping ??= (async () => {
        await checkpointing.stop();
        await app.close().catch(() => undefined);
        await runtime.stop();
      })()),
  };
}

function checkpointIntervalFromEnv(): number {
  const value = Number(process.env.AUDIT_CHECKPOINT_INTERVAL_MS || 5000);
  if (!Number.isInteger(value) || value < 100)
    throw new Error('AUDIT_CHECKPOINT_INTERVAL_MS must be a whole number of milliseconds, at least 100');
  return value;
}
