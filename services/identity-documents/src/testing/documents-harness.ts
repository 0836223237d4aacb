// The identity-documents service booted in-process for integration tests, against the real
// PostgreSQL and Kafka, with a promise-based gRPC client and intake's topic of the test, where a
// test publishes PersonForgotten as intake's relay would; and the commands and reads the specs
// share. Invented people only.
import type { common, identityDocuments } from '@homeward/contracts';
import { errorCodeMetadataKey } from '@homeward/decider';
import { publishedEvent } from '@homeward/eventsourcing';
import { createKafkaBroker, toMessages, type Broker, type EventEnvelope, type Publisher } from '@homeward/messaging';
import {
  createTestDatabase,
  freePort,
  grpcTestClient,
  harnessPerSpec,
  uniqueName,
  kafkaBrokers,
  type TestDatabase,
} from '@homeward/testing';
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

export const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const confiscation = (personId: string) => ({
  personId,
  confiscatedAt: '2025-09-11T06:00:00.000Z',
  authority: 'kgb',
  place: 'Invented detention centre',
});
export const a4Certificate = (personId: string) => ({
  personId,
  issuedAt: '2025-09-11T09:00:00.000Z',
  issuer: 'OGiM',
  format: 'A4',
  validAsIdentityDocument: false,
});
export const application = (personId: string) => ({
  personId,
  applicationId: '',
  appliedAt: '2025-09-20T10:00:00.000Z',
  country: 'LT',
  documentType: 'aliens-passport',
});

/** The gRPC status and stable code of a refused call; fails if the call succeeds. */
export const refusal = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('the call was expected to be refused');
    },
    (error: { code: number; metadata: { get(key: string): unknown[] } }) => ({
      status: error.code,
      code: String(error.metadata.get(errorCodeMetadataKey)[0]),
    }),
  );

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
  broker: Broker;
  publishIntake(...events: EventEnvelope[]): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  confiscate(personId: string): Promise<common.CommandResult>;
  certify(personId: string): Promise<common.CommandResult>;
  apply(
    personId: string,
    extra?: Partial<identityDocuments.ApplyForTravelDocumentRequest>,
  ): Promise<identityDocuments.ApplyForTravelDocumentResponse>;
  documentsOf(personId: string): Promise<identityDocuments.PersonDocuments>;
  /** Every entry of the undocumented list with this status ('' for any). */
  listAll(status: string): Promise<identityDocuments.UndocumentedPerson[]>;
  /** How many events the person's documents stream holds. */
  eventCount(personId: string): Promise<number>;
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
  const query = <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => service.runtime.dataSource.query(sql, parameters);
  return {
    service,
    client,
    topic,
    broker,
    publishIntake: (...events) => publisher.publish(intakeTopic, toMessages(events)),
    query,
    confiscate: (personId) => client.recordPassportConfiscation({ metadata: metadata(), ...confiscation(personId) }),
    certify: (personId) => client.issueTemporaryCertificate({ metadata: metadata(), ...a4Certificate(personId) }),
    apply: (personId, extra = {}) => client.applyForTravelDocument({ metadata: metadata(), ...application(personId), ...extra }),
    documentsOf: (personId) => client.getDocuments({ personId }),
    listAll: async (status) => (await client.listUndocumented({ status, limit: 200, cursor: '' })).items ?? [],
    eventCount: async (personId) =>
      Number((await query<{ count: string }>(`SELECT count(*) FROM events WHERE stream_id = $1`, [`documents-${personId}`]))[0]!.count),
    async stop() {
      client.close();
      await service.stop();
      await publisher.close();
      await broker.disconnect();
      await database.drop();
    },
  };
}

/** A harness of its own for the describe block it is called in, started before its tests and stopped after. */
export function documentsHarness(): DocumentsHarness {
  return harnessPerSpec(startDocumentsHarness, (harness) => harness.stop());
}
