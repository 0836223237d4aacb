// The identity-documents service booted in-process for integration tests, against the real
// PostgreSQL and Kafka, with a promise-based gRPC client and intake's topic of the test, where a
// test publishes PersonForgotten as intake's relay would. Invented people only.
import type { common, identityDocuments } from '@homeward/contracts';
import { errorCodeMetadataKey } from '@homeward/decider';
import { publishedEvent } from '@homeward/eventsourcing';
import { createKafkaBroker, toMessages, type Broker, type EventEnvelope, type Publisher } from '@homeward/messaging';
import { createTestDatabase, freePort, grpcTestClient, uniqueName, kafkaBrokers, type TestDatabase } from '@homeward/testing';
import type { Observable } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import { startIdentityDocuments, type IdentityDocumentsService } from '../service.js';

type Promised<Service> = {
  [Method in keyof Service]: Service[Method] extends (request: infer Request, ...rest: never[]) => Observable<infer Response>
    ? (request: Request) => Promise<Response>
    : never;
};

export type DocumentsTestClient = Promised<identityDocuments.IdentityDocumentsServiceClient> & { close(): void };

export const metadata = (extra: Partial<common.CommandMetadata> = {}): common.CommandMetadata => ({
  actor: 'caseworker-test',
  correlationId: uuidv7(),
  causationId: '',
  idempotencyKey: '',
  traceparent: '',
  ...extra,
});

/** An intake fact as intake's relay publishes it (only what identity-documents reads matters). */
export const intakeEvent = (type: string, data: { personId: string } & Record<string, unknown>): EventEnvelope =>
  publishedEvent({ source: 'intake', streamId: `person-${data.personId}`, subject: data.personId, type, data, actor: 'intake-clerk' });

export const personForgotten = (personId: string) => intakeEvent('PersonForgotten', { personId, forgottenAt: new Date().toISOString() });

/** The stable code of a refused call, or 'no refusal'. */
export const refusalOf = (call: Promise<unknown>) =>
  call.then(
    () => 'no refusal',
    (error: { metadata: { get(key: string): unknown[] } }) => String(error.metadata.get(errorCodeMetadataKey)[0]),
  );

export interface DocumentsHarness {
  service: IdentityDocumentsService;
  client: DocumentsTestClient;
  /** The service's own topic, where its relay publishes. */
  topic: string;
  publishIntake(...events: EventEnvelope[]): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startDocumentsHarness(): Promise<DocumentsHarness> {
  const database: TestDatabase = await createTestDatabase();
  const topic = uniqueName('test.identity-documents');
  const intakeTopic = uniqueName('test.identity-documents.intake');
  const broker: Broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'identity-documents-int-test' });
  await broker.ensureTopics([intakeTopic]);
  const publisher: Publisher = await broker.publisher();
  const url = `127.0.0.1:${await freePort()}`;
  const service = await startIdentityDocuments({
    databaseUrl: database.url,
    grpcUrl: url,
    topic,
    intakeTopic,
    erasureGroup: uniqueName('identity-documents-erasure-test'),
  });
  const client = grpcTestClient<DocumentsTestClient>('identity-documents', url);
  return {
    service,
    client,
    topic,
    publishIntake: (...events) => publisher.publish(intakeTopic, toMessages(events)),
    query: (sql, parameters = []) => service.runtime.dataSource.query(sql, parameters),
    async stop() {
      client.close();
      await service.stop();
      await publisher.close();
      await broker.disconnect();
      await database.drop();
    },
  };
}
