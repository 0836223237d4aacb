// The notifications service, bootable in-process (tests) or from main.ts: its runtime (database,
// event store with inline read models, outbox relay), the consumer of intake's facts, and, only
// when side effects are on, the delivery worker and the welfare-check timer.
import type { INestMicroservice } from '@nestjs/common';
import { ConsumerRunner, EventStore, type EventStoreOptions } from '@homeward/eventsourcing';
import { topicOf } from '@homeward/messaging';
import { masterKeysFromEnv, PersonKeys, personalDataSealer, requestKeyOf, type MasterKeys } from '@homeward/personal-data';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { notificationsUpcasters } from '@homeward/notifications-domain';
import { configFromEnv, type NotificationsConfig } from './config.js';
import { DeliveryWorker } from './deliver-notifications/delivery-worker.js';
import { emailSender } from './deliver-notifications/senders.js';
import { webhookSender, type WebhookSenderOptions } from './deliver-notifications/webhook-sender.js';
import { WelfareCheckEscalation } from './escalate-welfare-check/welfare-check-escalation.js';
import { notificationsMigrations } from './migrations.js';
import { notificationDeliveries } from './notification-deliveries/notification-deliveries.projection.js';
import { NotificationsModule } from './notifications.module.js';
import { intakeReactions, reactsToIntake } from './react-to-intake/intake-reactions.js';
import { recipients } from './recipients/recipients.projection.js';
import { WelfareCheckScheduler } from './welfare-check-timer/welfare-check-scheduler.js';
import { welfareChecks } from './welfare-checks/welfare-checks.projection.js';

export interface NotificationsOptions {
  databaseUrl?: string;
  grpcUrl?: string;
  /** Defaults to the environment (see config.ts). */
  config?: NotificationsConfig;
  /** Wrap the recipients' data keys and key the request fingerprints. Default: HOMEWARD_MASTER_KEYS (required in production). */
  masterKeys?: MasterKeys;
  /** Tests only: a resolver of their own (nothing leaves the machine) and their receiver's certificate. */
  webhook?: Pick<WebhookSenderOptions, 'resolve' | 'ca'>;
}

export interface NotificationsService {
  runtime: ServiceRuntime;
  app: INestMicroservice;
  deliveries: DeliveryWorker | null;
  welfareChecks: WelfareCheckScheduler | null;
  escalation: WelfareCheckEscalation | null;
  stop(): Promise<void>;
}

/**
 * The store seals what the inventory classifies personal (a recipient's address and webhook secret) with the key of
 * the stream's subject before anything is written, as every context's store does; Idempotency-Key
 * fingerprints are keyed by the master key.
 */
export const notificationsStore = (keys: PersonKeys, masterKeys: MasterKeys): EventStoreOptions => ({
  source: 'notifications',
  topic: topicOf('notifications'),
  projections: [recipients, notificationDeliveries, welfareChecks],
  upcasters: notificationsUpcasters,
  sealer: personalDataSealer({ context: 'notifications', keys }),
  requestKey: requestKeyOf(masterKeys, 'notifications'),
});

export async function startNotifications(options: NotificationsOptions = {}): Promise<NotificationsService> {
  const config = options.config ?? configFromEnv();
  // Before anything opens: a missing master key in production is a startup error.
  const masterKeys = options.masterKeys ?? masterKeysFromEnv();
  const keys = new PersonKeys(masterKeys);
  const runtime = await startRuntime({
    service: 'notifications',
    databaseUrl: options.databaseUrl,
    migrations: notificationsMigrations,
    store: notificationsStore(keys, masterKeys),
  });
  const store = runtime.store as EventStore;
  const { dataSource, broker, logger } = runtime;
  if (config.obsoleteWebhookSecretSet)
    logger.warn({}, 'WEBHOOK_SECRET is set and no longer used: each webhook recipient is signed with its own secret');
  if (config.allowLoopbackWebhooks) logger.warn({}, 'WEBHOOK_ALLOW_LOOPBACK=1: webhooks may point to this machine (development only)');
  if (config.sideEffects) await warnOfWebhooksWithoutSecret(runtime);

  // Created here rather than through startRuntime's `consumers`, because its handler appends
  // to the runtime's own event store; pushed onto runtime.consumers so the runtime stops it.
  const consumer = new ConsumerRunner({
    dataSource,
    broker,
    logger,
    groupId: config.consumerGroup,
    topics: [config.intakeTopic],
    handle: intakeReactions({ store, keys, welfareCheckAfterMs: config.welfareCheckAfterMs }),
    reactsTo: reactsToIntake,
  });
  runtime.consumers.push(consumer);
  await consumer.start();

  let deliveries: DeliveryWorker | null = null;
  let timer: WelfareCheckScheduler | null = null;
  const senders = {
    email: emailSender({ smtpUrl: config.smtpUrl, from: config.fromAddress, timeoutMs: config.sendTimeoutMs }),
    webhook: webhookSender({
      timeoutMs: config.sendTimeoutMs,
      policy: { allowLoopback: config.allowLoopbackWebhooks },
      ...options.webhook,
    }),
  };
  let escalation: WelfareCheckEscalation | null = null;
  if (config.sideEffects) {
    if (config.escalationRecipients.length === 0) {
      logger.warn(
        {},
        'WELFARE_ESCALATION_RECIPIENTS is not set: an overdue welfare check nobody hears of is escalated to nobody (marked unconfigured)',
      );
    }
    escalation = new WelfareCheckEscalation({ store, keys, onDuty: config.escalationRecipients, logger });
    deliveries = new DeliveryWorker({
      dataSource,
      store,
      keys,
      senders,
      retry: config.retry,
      pollMs: config.deliveryPollMs,
      logger,
      escalation,
    });
    timer = new WelfareCheckScheduler({ dataSource, store, keys, pollMs: config.welfareCheckPollMs, logger, escalation });
    deliveries.start();
    timer.start();
  }
  logger.info(
    {
      sideEffects: config.sideEffects,
      welfareCheckAfterMs: config.welfareCheckAfterMs,
      onDutyRecipients: config.escalationRecipients.length,
    },
    'notifications started',
  );

  const app = await startGrpcService({
    service: 'notifications',
    runtime,
    module: NotificationsModule.with(runtime, keys, { allowLoopback: config.allowLoopbackWebhooks }),
    url: options.grpcUrl ?? grpcBindAddress('notifications', 50054),
  });

  let stopping: Promise<void> | null = null;
  return {
    runtime,
    app,
    deliveries,
    welfareChecks: timer,
    escalation,
    stop: () =>
      (stopping ??= (async () => {
        await app.close().catch(() => undefined);
        await timer?.stop();
        await deliveries?.stop();
        senders.email.close();
        await runtime.stop();
      })()),
  };
}

/** Webhook recipients registered before each had its own secret are sent nothing (webhook.no-secret) until registered again: said at start, as a count. */
async function warnOfWebhooksWithoutSecret({ dataSource, logger }: ServiceRuntime): Promise<void> {
  const [{ count }]: Array<{ count: number }> = await dataSource.query(
    `SELECT count(*)::int AS count FROM recipients
     WHERE doc->>'channel' = 'webhook' AND coalesce(doc->>'webhookSecret', '') = '' AND NOT coalesce((doc->>'erased')::boolean, false)`,
  );
  if (count > 0) logger.warn({ count }, 'webhook recipients without a secret of their own are sent nothing until registered again');
}
