// What every service runs beside its gRPC handlers: its database (migrated), its event store and
// outbox relay, and its consumers of other contexts' topics. Started before the gRPC server
// listens, stopped after it closes.
//
// Two database roles (least privilege): the migrations run as the schema owner
// (DATABASE_MIGRATION_URL), then everything the service does runs as its runtime role
// (DATABASE_URL), which reads and writes rows but cannot alter, truncate or trigger. Operator jobs
// that replace tables (a rebuild renames its shadow into place) run as the owner. Without a
// migration URL one role does all (development).
import { createLogger } from '@homeward/observability';
import {
  ConsumerRunner,
  EventStore,
  OutboxRelay,
  alterableBy,
  connectDatabase,
  openDatabase,
  type ConsumerRunnerOptions,
  type DatabaseOptions,
  type EventStoreOptions,
} from '@homeward/eventsourcing';
import { isDevelopment } from '@homeward/security';
import { brokerConfigFromEnv, createKafkaBroker, type Broker } from '@homeward/messaging';
import type { DataSource } from 'typeorm';

export interface RuntimeOptions {
  service: string;
  /** The runtime role's URL; default DATABASE_URL. */
  databaseUrl?: string;
  /** The schema owner's URL, which migrates; default DATABASE_MIGRATION_URL when databaseUrl is not given either. */
  migrationUrl?: string;
  migrations: DatabaseOptions['migrations'];
  store?: EventStoreOptions;
  /** A consumer that writes through the service's own store is declared by a function of it: one store per service. */
  consumers?: Array<ConsumerDeclaration | ((store: EventStore) => ConsumerDeclaration)>;
}

export type ConsumerDeclaration = Omit<ConsumerRunnerOptions, 'dataSource' | 'broker' | 'logger'>;

export interface ServiceRuntime {
  service: string;
  /** The runtime role's: every handler and consumer. */
  dataSource: DataSource;
  /** The schema owner's, for operator jobs that replace tables; dataSource itself with one role. */
  ownerDataSource: DataSource;
  broker: Broker;
  store: EventStore | null;
  relay: OutboxRelay | null;
  consumers: ConsumerRunner[];
  logger: ReturnType<typeof createLogger>;
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<ServiceRuntime> {
  const logger = createLogger(options.service);
  const databaseUrl =
    options.databaseUrl ??
    process.env.DATABASE_URL ??
    `postgres://postgres@127.0.0.1:5432/homeward_${options.service.replaceAll('-', '_')}`;
  // The two URLs come as a pair: a runtime URL given here never meets a migration URL of the environment's database.
  const migrationUrl = options.databaseUrl ? options.migrationUrl : (options.migrationUrl ?? process.env.DATABASE_MIGRATION_URL);
  const dataSource = await openDatabase({
    url: databaseUrl,
    migrationUrl,
    migrations: options.migrations,
    applicationName: options.service,
  });
  const ownerDataSource = migrationUrl
    ? await connectDatabase({ url: migrationUrl, poolSize: 2, applicationName: `${options.service}-operations` })
    : dataSource;
  await checkRuntimeRole(dataSource, Boolean(migrationUrl), logger);
  const broker = createKafkaBroker(brokerConfigFromEnv(`homeward-${options.service}`));

  let store: EventStore | null = null;
  let relay: OutboxRelay | null = null;
  if (options.store) {
    store = new EventStore(dataSource, options.store);
    await broker.ensureTopics([options.store.topic]);
    relay = new OutboxRelay({ dataSource, databaseUrl, publisher: await broker.publisher(), logger });
    await relay.start();
  }
  const consumers = (options.consumers ?? []).map((declared) => {
    if (typeof declared !== 'function') return new ConsumerRunner({ ...declared, dataSource, broker, logger });
    if (!store) throw new Error(`a consumer of ${options.service} writes through its event store, and it has none`);
    return new ConsumerRunner({ ...declared(store), dataSource, broker, logger });
  });
  for (const consumer of consumers) await consumer.start();
  logger.info(
    { consumers: consumers.map((c) => c.groupId), relay: Boolean(relay), databaseRoles: migrationUrl ? 'owner and runtime' : 'one' },
    'runtime started',
  );

  return {
    service: options.service,
    dataSource,
    ownerDataSource,
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
      if (ownerDataSource !== dataSource) await ownerDataSource.destroy();
      logger.info({}, 'runtime stopped');
    },
  };
}

/**
 * Production runs as a role that cannot alter its tables; development may use one role for all,
 * and is told when a second role was meant to be in use but still can.
 */
async function checkRuntimeRole(dataSource: DataSource, twoRoles: boolean, logger: ReturnType<typeof createLogger>): Promise<void> {
  const problem = await alterableBy(dataSource);
  if (problem === null) return;
  if (!isDevelopment()) {
    await dataSource.destroy();
    throw new Error(
      `the runtime database role can alter its tables (${problem}): ` +
        'give DATABASE_URL a role without ownership and DATABASE_MIGRATION_URL the owner',
    );
  }
  if (twoRoles) logger.warn({ problem }, 'the runtime database role can alter its tables');
}
