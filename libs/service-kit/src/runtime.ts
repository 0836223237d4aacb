// What every service runs beside its gRPC handlers: its database (migrated), its event store and
// outbox relay, and its consumers of other contexts' topics. Started before the gRPC server
// listens, stopped after it closes.
import { createLogger } from '@homeward/observability';
import {
  ConsumerRunner,
  EventStore,
  OutboxRelay,
  openDatabase,
  type ConsumerRunnerOptions,
  type DatabaseOptions,
  type EventStoreOptions,
} from '@homeward/eventsourcing';
import { brokerConfigFromEnv, createKafkaBroker, type Broker } from '@homeward/messaging';
import type { DataSource } from 'typeorm';

export interface RuntimeOptions {
  service: string;
  databaseUrl?: string;
  migrations: DatabaseOptions['migrations'];
  store?: EventStoreOptions;
  consumers?: Array<Omit<ConsumerRunnerOptions, 'dataSource' | 'broker' | 'logger'>>;
}

export interface ServiceRuntime {
  service: string;
  dataSource: DataSource;
  broker: Broker;
  store: EventStore | null;
  relay: OutboxRelay | null;
  consumers: ConsumerRunner[];
  logger: ReturnType<typeof createLogger>;
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<ServiceRuntime> {
  const logger = createLogger(options.service);
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/homeward_${options.service.replaceAll('-', '_')}`;
  const dataSource = await openDatabase({ url: databaseUrl, migrations: options.migrations, applicationName: options.service });
  const broker = createKafkaBroker(brokerConfigFromEnv(`homeward-${options.service}`));

  let store: EventStore | null = null;
  let relay: OutboxRelay | null = null;
  if (options.store) {
    store = new EventStore(dataSource, options.store);
    await broker.ensureTopics([options.store.topic]);
    relay = new OutboxRelay({ dataSource, databaseUrl, publisher: await broker.publisher(), logger });
    await relay.start();
  }
  const consumers = (options.consumers ?? []).map((consumer) => new ConsumerRunner({ ...consumer, dataSource, broker, logger }));
  for (const consumer of consumers) await consumer.start();
  logger.info({ consumers: consumers.map((c) => c.groupId), relay: Boolean(relay) }, 'runtime started');

  return {
    service: options.service,
    dataSource,
    broker,
    store,
    relay,
    consumers,
    logger,
    async stop() {
      for (const consumer of consumers) await consumer.stop().catch(() => undefined);
      await relay?.stop().catch(() => undefined);
      await broker.disconnect();
      await dataSource.destroy();
      logger.info({}, 'runtime stopped');
    },
  };
}
