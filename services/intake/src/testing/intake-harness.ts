// Boots the real intake service in-process for integration tests: its own database on the test
// Postgres, its own topic on the test Kafka, a free port, and a gRPC client.
import type { common } from '@homeward/contracts';
import { createTestDatabase, freePort, uniqueName, type TestDatabase } from '@homeward/testing';
import { startIntake, type IntakeService } from '../service.js';
import { intakeClient, type IntakeTestClient } from './intake-client.js';

export interface IntakeHarness {
  service: IntakeService;
  client: IntakeTestClient;
  /** Where the service listens, for a test that brings a client of its own. */
  url: string;
  database: TestDatabase;
  topic: string;
  /** Rows of a query on intake's database. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

export async function startIntakeHarness(): Promise<IntakeHarness> {
  const database = await createTestDatabase('homeward_intake_test');
  const topic = uniqueName('test.intake.events');
  const url = `127.0.0.1:${await freePort()}`;
  const service = await startIntake({ databaseUrl: database.url, grpcUrl: url, topic });
  const client = intakeClient(url);
  return {
    service,
    client,
    url,
    database,
    topic,
    query: (sql, params = []) => service.runtime.dataSource.query(sql, params),
    async stop() {
      client.close();
      await service.stop();
      await database.drop();
    },
  };
}

let sequence = 0;
/** CommandMetadata of a test request; pass an Idempotency-Key or an expected version when needed. */
export const metadata = (overrides: Partial<common.CommandMetadata> = {}): common.CommandMetadata => ({
  actor: 'test-clerk',
  correlationId: `corr-${++sequence}`,
  causationId: '',
  idempotencyKey: '',
  traceparent: '',
  ...overrides,
});
