// The notifications service, bootable in-process (tests) or from main.ts: its runtime (database,
// event store with inline read models, outbox relay), the consumer of intake's facts, and, only
// when side effects are on, the delivery worker and the welfare-check timer.
import type { INestMicroservice } from '@nestjs/common';
import { ConsumerRunner, EventStore, type EventStoreOptions } from '@homeward/eventsourcing';
import { topicOf } from '@homeward/messaging';
import { masterKeysFromEnv, PersonKeys, personalDataSealer, requestKeyOf, type MasterKeys } from '@homeward/personal-data';
import { grpcBindAddress, startGrpcService, startRuntime, type ServiceRuntime } from '@homeward/service-kit';
import { configFromEnv, devWebhookSecret, type NotificationsConfig } from './config.js';
import { DeliveryWorker } from './deliver-notifications/delivery-worker.js';
import { emailSender, webhookSender } from './deliver-notifications/senders.js';
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
 * The store seals what the inventory classifies personal (a recipient's address) with the key of
 * the stream's subject before anything is written, as every context's store does; Idempotency-Key
 * fingerprints are keyed by the master key.
 */
export const notificationsStore = (keys: PersonKeys, masterKeys: MasterKeys): EventStoreOptions => ({
  source: 'notifications',
  topic: topicOf('notifications'),
  projections: [recipients, notificationDeliveries, welfareChecks],
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
  if (config.sideEffects && config.webhookSecret === devWebhookSecret) logger.warn({}, 'WEBHOOK_SECRET is not set: webhooks are signed with the development secret');

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
    webhook: webhookSender({ secret: config.webhookSecret, timeoutMs: config.sendTimeoutMs }),
  };
  let escalation: WelfareCheckEscalation | null = null;
  if (config.sideEffects) {
    if (config.escalationRecipients.length === 0) {
      logger.warn({}, 'WELFARE_ESCALATION_RECIPIENTS is not set: an overdue welfare check nobody hears of is escalated to nobody (marked unconfigured)');
    }
    escalation = new WelfareCheckEscalation({ store, keys, onDuty: config.escalationRecipients, logger });
    deliveries = new DeliveryWorker({ dataSource, store, keys, senders, retry: config.retry, pollMs: config.deliveryPollMs, logger, escalation });
    timer = new WelfareCheckScheduler({ dataSource, store, keys, pollMs: config.welfareCheckPollMs, logger, escalation });
    deliveries.start();
    timer.start();
  }
  logger.info(
    { sideEffects: config.sideEffects, welfareCheckAfterMs: config.welfareCheckAfterMs, onDutyRecipients: config.escalationRecipients.length },
    'notifications started',
  );

  const app = await startGrpcService({
    service: 'notifications',
    runtime,
    module: NotificationsModule.with(runtime, keys),
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
