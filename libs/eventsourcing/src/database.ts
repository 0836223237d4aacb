// A service's TypeORM DataSource: its own database, migrations only (never synchronize), and a
// pool sized for a small machine.
import { DataSource, type MigrationInterface } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  migrations: Array<new () => MigrationInterface>;
  poolSize?: number;
  applicationName?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    poolSize: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 8),
    applicationName: options.applicationName,
    extra: { connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
