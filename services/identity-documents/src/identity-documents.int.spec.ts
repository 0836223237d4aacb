// The identity-documents service booted in-process against the real PostgreSQL and Kafka, called
// over real gRPC: commands -> inline read models, the undocumented list, idempotency, refusals, and
// the events on Kafka decoded from protobuf with every field intact. Invented people only.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { grpcLoaderOptions, grpcServices, identityDocumentsEvents, protoRoot, type identityDocuments } from '@homeward/contracts';
import { errorCodeMetadataKey, type ProblemKind } from '@homeward/decider';
import { verifyChain } from '@homeward/eventsourcing';
import { createKafkaBroker, decodeEventValue, sourceOf, type Broker, type EventEnvelope } from '@homeward/messaging';
import { grpcStatusOf } from '@homeward/service-kit';
import {
  createTestDatabase,
  eventually,
  freePort,
  grpcCallerClientOptions,
  kafkaBrokers,
  uniqueName,
  type TestDatabase,
} from '@homeward/testing';
import { firstValueFrom, type Observable } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import { DocumentsStatusOneRule1764000000300 } from './migrations.js';
import { startIdentityDocuments, type IdentityDocumentsService } from './service.js';
import { metadata } from './testing/documents-harness.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const confiscation = (personId: string) => ({
  personId,
  confiscatedAt: '2025-09-11T06:00:00.000Z',
  authority: 'kgb',
  place: 'Invented detention centre',
});
const a4Certificate = (personId: string) => ({
  personId,
  issuedAt: '2025-09-11T09:00:00.000Z',
  issuer: 'OGiM',
  format: 'A4',
  validAsIdentityDocument: false,
});
const application = (personId: string) => ({
  personId,
  applicationId: '',
  appliedAt: '2025-09-20T10:00:00.000Z',
  country: 'LT',
  documentType: 'aliens-passport',
});

describe('identity-documents service against PostgreSQL and Kafka', () => {
  let database: TestDatabase;
  let service: IdentityDocumentsService;
  let proxy: ClientGrpcProxy;
  let client: identityDocuments.IdentityDocumentsServiceClient;
  let broker: Broker;
  const topic = uniqueName('test.identity-documents');

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = `127.0.0.1:${await freePort()}`;
    service = await startIdentityDocuments({
      databaseUrl: database.url,
      grpcUrl: url,
      topic,
      intakeTopic: uniqueName('test.identity-documents.intake'),
      erasureGroup: uniqueName('identity-documents-erasure-test'),
    });
    const definition = grpcServices['identity-documents'];
    proxy = ClientProxyFactory.create({
      transport: Transport.GRPC,
      options: {
        url,
        package: definition.package,
        protoPath: path.join(protoRoot, definition.file),
        loader: grpcLoaderOptions,
        ...grpcCallerClientOptions(),
      },
    }) as ClientGrpcProxy;
    client = proxy.getService<identityDocuments.IdentityDocumentsServiceClient>(definition.service);
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'identity-documents-test' });
  });

  afterAll(async () => {
    proxy?.close();
    await broker?.disconnect();
    await service?.stop();
    await database?.drop();
  });

  const call = <T>(observable: Observable<T>) => firstValueFrom(observable);
  /** The gRPC status and stable code of a refused call. */
  const refusal = async (observable: Observable<unknown>) => {
    try {
      await firstValueFrom(observable);
    } catch (error) {
      const { code, metadata: trailers } = error as { code: number; metadata: { get(key: string): unknown[] } };
      return { status: code, code: String(trailers.get(errorCodeMetadataKey)[0]) };
    }
    throw new Error('the call was expected to be refused');
  };
  const eventCount = async (personId: string) =>
    Number(
      (await service.runtime.dataSource.query(`SELECT count(*) FROM events WHERE stream_id = $1`, [`documents-${personId}`]))[0].count,
    );
  const documentsOf = (personId: string) => call(client.getDocuments({ personId }));
  const listAll = async (status: string) => (await call(client.listUndocumented({ status, limit: 200, cursor: '' }))).items ?? [];

  const confiscate = (personId: string) => call(client.recordPassportConfiscation({ metadata: metadata(), ...confiscation(personId) }));
  const certify = (personId: string) => call(client.issueTemporaryCertificate({ metadata: metadata(), ...a4Certificate(personId) }));
  const apply = (personId: string, extra: Partial<identityDocuments.ApplyForTravelDocumentRequest> = {}) =>
    call(client.applyForTravelDocument({ metadata: metadata(), ...application(personId), ...extra }));

  describe('a passport confiscated, then the OGiM A4 certificate', () => {
    const personId = uuidv7();

    it('is undocumented after the confiscation', async () => {
      const result = await confiscate(personId);
      expect(result).toMatchObject({ id: personId, streamVersion: 1, repeatedRequest: false });
      expect(result.eventIds).toEqual([expect.stringMatching(uuidV7)]);

      expect(await documentsOf(personId)).toMatchObject({
        personId,
        streamVersion: 1,
        status: 'undocumented',
        passport: {
          state: 'confiscated',
          confiscation: { confiscatedAt: '2025-09-11T06:00:00.000Z', authority: 'kgb', place: 'Invented detention centre' },
        },
        certificates: [],
        applications: [],
      });
      expect(await listAll('undocumented')).toContainEqual({ personId, status: 'undocumented' });
    });

    it('is at risk of statelessness once the A4 certificate is its only paper', async () => {
      const result = await certify(personId);
      expect(result).toMatchObject({ id: personId, streamVersion: 2 });
      const documents = await documentsOf(personId);
      expect(documents).toMatchObject({ streamVersion: 2, status: 'at-risk-of-statelessness' });
      expect(documents.certificates).toEqual([
        { eventId: result.eventIds[0], issuedAt: '2025-09-11T09:00:00.000Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false },
      ]);
      expect(await listAll('at-risk-of-statelessness')).toContainEqual({ personId, status: 'at-risk-of-statelessness' });
      expect((await listAll('undocumented')).map((item) => item.personId)).not.toContain(personId);
      expect(await listAll('')).toContainEqual({ personId, status: 'at-risk-of-statelessness' });
    });

    it('records the destruction of the confiscated passport', async () => {
      await call(
        client.recordPassportDestruction({
          metadata: metadata(),
          personId,
          destroyedAt: '2025-09-11T07:00:00Z',
          authority: 'kgb',
          account: 'torn up (invented)',
        }),
      );
      expect((await documentsOf(personId)).passport).toEqual({
        state: 'destroyed',
        confiscation: { confiscatedAt: '2025-09-11T06:00:00.000Z', authority: 'kgb', place: 'Invented detention centre' },
        destruction: { destroyedAt: '2025-09-11T07:00:00Z', authority: 'kgb', account: 'torn up (invented)' },
      });
    });
  });

  describe('travel-document applications', () => {
    it('assigns a UUID v7 application id, and an issued document makes the person documented and leaves the list', async () => {
      const personId = uuidv7();
      await confiscate(personId);
      const applied = await apply(personId);
      expect(applied).toMatchObject({
        id: personId,
        streamVersion: 2,
        repeatedRequest: false,
        applicationId: expect.stringMatching(uuidV7),
      });
      expect(await documentsOf(personId)).toMatchObject({
        status: 'undocumented',
        applications: [
          {
            applicationId: applied.applicationId,
            appliedAt: '2025-09-20T10:00:00.000Z',
            country: 'LT',
            documentType: 'aliens-passport',
            decision: 'pending',
            decidedAt: '',
          },
        ],
      });

      const issued = await call(
        client.decideTravelDocumentApplication({
          metadata: metadata(),
          personId,
          applicationId: applied.applicationId,
          decision: 'issued',
          decidedAt: '2025-10-20T10:00:00.000Z',
          validUntil: '2030-10-19',
          reason: '',
        }),
      );
      expect(issued).toMatchObject({ id: personId, streamVersion: 3 });
      expect(await documentsOf(personId)).toMatchObject({
        status: 'documented',
        applications: [
          {
            applicationId: applied.applicationId,
            decision: 'issued',
            decidedAt: '2025-10-20T10:00:00.000Z',
            validUntil: '2030-10-19',
            reason: '',
          },
        ],
      });
      expect((await listAll('')).map((item) => item.personId)).not.toContain(personId);
    });

    it('is at risk of statelessness when every application was refused', async () => {
      const personId = uuidv7();
      await confiscate(personId);
      const applied = await apply(personId, { documentType: 'refugee-travel-document' });
      await call(
        client.decideTravelDocumentApplication({
          metadata: metadata(),
          personId,
          applicationId: applied.applicationId,
          decision: 'refused',
          decidedAt: '2025-10-01T10:00:00Z',
          validUntil: '',
          reason: 'identity not established',
        }),
      );
      expect(await documentsOf(personId)).toMatchObject({
        status: 'at-risk-of-statelessness',
        applications: [
          {
            decision: 'refused',
            decidedAt: '2025-10-01T10:00:00Z',
            reason: 'identity not established',
            validUntil: '',
            documentType: 'refugee-travel-document',
          },
        ],
      });
    });
  });

  describe('the one statelessness rule (shared with legal)', () => {
    const visaHolder = uuidv7();

    it('keeps a person with an issued humanitarian visa on the undocumented list: a visa replaces no passport', async () => {
      await confiscate(visaHolder);
      const applied = await apply(visaHolder, { documentType: 'humanitarian-visa' });
      await call(
        client.decideTravelDocumentApplication({
          metadata: metadata(),
          personId: visaHolder,
          applicationId: applied.applicationId,
          decision: 'issued',
          decidedAt: '2025-10-20T10:00:00.000Z',
          validUntil: '2030-10-19',
          reason: '',
        }),
      );
      expect(await documentsOf(visaHolder)).toMatchObject({
        status: 'undocumented',
        applications: [{ documentType: 'humanitarian-visa', decision: 'issued' }],
      });
      expect(await listAll('undocumented')).toContainEqual({ personId: visaHolder, status: 'undocumented' });
      await certify(visaHolder);
      expect(await listAll('at-risk-of-statelessness')).toContainEqual({ personId: visaHolder, status: 'at-risk-of-statelessness' });
    });

    it('derives the statuses stored under the old rule again when migrating', async () => {
      const sql = (text: string, parameters: unknown[] = []) => service.runtime.dataSource.query(text, parameters);
      // As the old rule left them: documented by the visa.
      for (const table of ['undocumented_people', 'person_documents']) {
        await sql(`UPDATE ${table} SET doc = jsonb_set(doc, '{status}', '"documented"') WHERE id = $1`, [visaHolder]);
      }
      expect((await listAll('')).map((item) => item.personId)).not.toContain(visaHolder);
      const runner = service.runtime.dataSource.createQueryRunner();
      try {
        await new DocumentsStatusOneRule1764000000300().up(runner);
      } finally {
        await runner.release();
      }
      expect(await listAll('at-risk-of-statelessness')).toContainEqual({ personId: visaHolder, status: 'at-risk-of-statelessness' });
      expect(await documentsOf(visaHolder)).toMatchObject({ status: 'at-risk-of-statelessness' });
    });
  });

  describe('refusals: stable codes, the shared status table, nothing written', () => {
    const personId = uuidv7();
    const status = (kind: ProblemKind) => grpcStatusOf[kind];

    it('refuses broken rules with FAILED_PRECONDITION and the rule code', async () => {
      await confiscate(personId);
      expect(await refusal(client.recordPassportConfiscation({ metadata: metadata(), ...confiscation(personId) }))).toEqual({
        status: status('rule-violated'),
        code: 'passport.already-confiscated',
      });
      expect(
        await refusal(
          client.issueTemporaryCertificate({ metadata: metadata(), ...a4Certificate(personId), validAsIdentityDocument: true }),
        ),
      ).toEqual({
        status: status('rule-violated'),
        code: 'certificate.ogim-a4-not-identity-document',
      });
      const applied = await apply(personId);
      const decide = (decidedAt: string) =>
        client.decideTravelDocumentApplication({
          metadata: metadata(),
          personId,
          applicationId: applied.applicationId,
          decision: 'refused',
          decidedAt,
          validUntil: '',
          reason: '',
        });
      expect(await refusal(decide('2025-09-19T10:00:00Z'))).toEqual({
        status: status('rule-violated'),
        code: 'travel-document.decided-before-application',
      });
      await call(decide('2025-10-19T10:00:00Z'));
      expect(await refusal(decide('2025-10-20T10:00:00Z'))).toEqual({
        status: status('rule-violated'),
        code: 'travel-document.already-decided',
      });
      expect(await eventCount(personId)).toBe(3);
    });

    it('answers NOT_FOUND for a decision on an unknown application and for a person with nothing recorded', async () => {
      const decision = {
        metadata: metadata(),
        personId,
        applicationId: uuidv7(),
        decision: 'issued',
        decidedAt: '2025-10-20T10:00:00Z',
        validUntil: '',
        reason: '',
      };
      expect(await refusal(client.decideTravelDocumentApplication(decision))).toEqual({
        status: status('not-found'),
        code: 'travel-document.application-not-found',
      });
      expect(await refusal(client.getDocuments({ personId: uuidv7() }))).toEqual({
        status: status('not-found'),
        code: 'documents.not-found',
      });
    });

    it('answers INVALID_ARGUMENT for malformed input', async () => {
      const invalid = status('validation-failed');
      expect(await refusal(client.recordPassportConfiscation({ metadata: metadata(), ...confiscation('not-a-uuid') }))).toEqual({
        status: invalid,
        code: 'person.id-invalid',
      });
      expect(
        await refusal(client.recordPassportConfiscation({ metadata: metadata(), ...confiscation(uuidv7()), authority: 'police' })),
      ).toEqual({
        status: invalid,
        code: 'passport.authority-unknown',
      });
      expect(
        await refusal(client.applyForTravelDocument({ metadata: metadata(), ...application(uuidv7()), documentType: 'passport' })),
      ).toEqual({
        status: invalid,
        code: 'travel-document.type-unknown',
      });
      expect(
        await refusal(
          client.decideTravelDocumentApplication({
            metadata: metadata(),
            personId,
            applicationId: uuidv7(),
            decision: 'maybe',
            decidedAt: '2025-10-20T10:00:00Z',
            validUntil: '',
            reason: '',
          }),
        ),
      ).toEqual({ status: invalid, code: 'travel-document.decision-invalid' });
      expect(await refusal(client.recordPassportConfiscation({ metadata: undefined, ...confiscation(uuidv7()) }))).toEqual({
        status: invalid,
        code: 'command.metadata-missing',
      });
      expect(await refusal(client.listUndocumented({ status: 'documented', limit: 10, cursor: '' }))).toEqual({
        status: invalid,
        code: 'documents.status-filter-invalid',
      });
      expect(await refusal(client.listUndocumented({ status: '', limit: 10, cursor: 'bm90LWFuLWlk' }))).toEqual({
        status: invalid,
        code: 'cursor.invalid',
      });
    });

    it('answers ABORTED for a stale If-Match, and OUT_OF_RANGE (not-yet-consistent) for a minVersion ahead', async () => {
      const other = uuidv7();
      await confiscate(other);
      expect(
        await refusal(client.issueTemporaryCertificate({ metadata: metadata({ expectedVersion: 0 }), ...a4Certificate(other) })),
      ).toEqual({
        status: status('version-conflict'),
        code: 'stream.version-conflict',
      });
      expect(
        await call(client.issueTemporaryCertificate({ metadata: metadata({ expectedVersion: 1 }), ...a4Certificate(other) })),
      ).toMatchObject({ streamVersion: 2 });
      expect(await refusal(client.getDocuments({ personId: other, minVersion: 3 }))).toEqual({
        status: status('not-yet-consistent'),
        code: 'documents.not-yet-consistent',
      });
      expect(await call(client.getDocuments({ personId: other, minVersion: 2 }))).toMatchObject({ streamVersion: 2 });
    });
  });

  describe('idempotency', () => {
    it('answers a repeated application with the first application id and records nothing new; another body with the key is refused', async () => {
      const personId = uuidv7();
      const key = `apply-${uuidv7()}`;
      const first = await apply(personId, { metadata: metadata({ idempotencyKey: key }) });
      const again = await apply(personId, { metadata: metadata({ idempotencyKey: key }) });
      expect(again).toEqual({ ...first, repeatedRequest: true });
      expect(again.applicationId).toMatch(uuidV7);
      expect(await eventCount(personId)).toBe(1);
      expect((await documentsOf(personId)).applications).toHaveLength(1);

      expect(
        await refusal(
          client.applyForTravelDocument({ metadata: metadata({ idempotencyKey: key }), ...application(personId), country: 'PL' }),
        ),
      ).toEqual({
        status: grpcStatusOf['idempotency-key-reused'],
        code: 'request.idempotency-key-reused',
      });
      expect(await eventCount(personId)).toBe(1);
    });

    it('answers a repeated confiscation with the first result instead of passport.already-confiscated', async () => {
      const personId = uuidv7();
      const key = `confiscate-${uuidv7()}`;
      const first = await call(
        client.recordPassportConfiscation({ metadata: metadata({ idempotencyKey: key }), ...confiscation(personId) }),
      );
      const again = await call(
        client.recordPassportConfiscation({ metadata: metadata({ idempotencyKey: key }), ...confiscation(personId) }),
      );
      expect(again).toEqual({ ...first, repeatedRequest: true });
      expect(await eventCount(personId)).toBe(1);
    });
  });

  describe('the undocumented list', () => {
    it('pages by cursor in id order, with nothing repeated or left out', async () => {
      for (let i = 0; i < 5; i += 1) await confiscate(uuidv7());
      const everything = await listAll('');
      expect(everything.length).toBeGreaterThanOrEqual(5);
      const pages: identityDocuments.UndocumentedPerson[][] = [];
      let cursor = '';
      do {
        const page = await call(client.listUndocumented({ status: '', limit: 2, cursor }));
        pages.push(page.items ?? []);
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages.every((page) => page.length <= 2)).toBe(true);
      expect(pages.flat()).toEqual(everything);
      const ids = everything.map((item) => item.personId);
      expect(ids).toEqual([...ids].sort());
      expect(new Set(everything.map((item) => item.status))).toEqual(new Set(['undocumented', 'at-risk-of-statelessness']));
    });

    it('reads through the partial status index that leaves documented people out', async () => {
      const plan = await service.runtime.dataSource.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off'); // a table this small would be scanned anyway
        const rows: Array<{ 'QUERY PLAN': string }> = await tx.query(
          `EXPLAIN SELECT id, doc->>'status' AS status FROM undocumented_people
           WHERE doc->>'status' <> 'documented' AND doc->>'status' = ANY($1::text[]) AND id > $2 ORDER BY id LIMIT $3`,
          [['undocumented'], '', 3],
        );
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('undocumented_people_status_idx');
    });
  });

  describe('on Kafka', () => {
    it('publishes every event, keyed by person, as protobuf whose decoded fields match the store and verify the hash chain', async () => {
      const stored: Array<{ event_id: string }> = await service.runtime.dataSource.query(`SELECT event_id FROM events`);
      const seen = new Map<string, { event: EventEnvelope; key: string; headers: Record<string, string>; value: Buffer }>();
      const reader = await broker.subscribe({
        groupId: uniqueName('identity-documents-test-reader'),
        topics: [topic],
        eachBatch: async (batch) => {
          for (const message of batch.messages) {
            const event = decodeEventValue(sourceOf(message.headers), message.value);
            const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)]));
            seen.set(event.eventId, { event, key: message.key, headers, value: message.value });
            batch.resolveOffset(message.offset);
          }
        },
      });
      try {
        await eventually(
          async () => seen.size,
          (n) => n >= stored.length,
          { timeoutMs: 60_000, what: `${stored.length} events on ${topic}` },
        );
      } finally {
        await reader.stop();
      }
      expect(seen.size).toBe(stored.length);

      const streams: Array<{ stream_id: string }> = await service.runtime.dataSource.query(`SELECT DISTINCT stream_id FROM events`);
      for (const { stream_id: streamId } of streams) {
        const inStore = await service.runtime.store!.readStream(streamId, { raw: true });
        const onKafka = inStore.map((event) => seen.get(event.eventId)!.event);
        expect(onKafka).toEqual(inStore.map(({ globalPosition: _position, ...event }) => event));
        expect(verifyChain(streamId, onKafka)).toMatchObject({ valid: true, eventsChecked: inStore.length });
        for (const event of inStore) {
          const { key, headers } = seen.get(event.eventId)!;
          expect(key).toBe(event.subject);
          expect(headers).toMatchObject({
            ce_subject: event.subject,
            ce_source: '/homeward/identity-documents',
            ce_type: `org.homeward.identity-documents.${event.type}.v1`,
          });
        }
      }

      // Decoded with the generated contract, as legal does: every oneof case and field as sent.
      const byType = new Map([...seen.values()].map((message) => [message.event.type, message]));
      expect([...byType.keys()].sort()).toEqual(
        [
          'PassportConfiscated',
          'PassportDestroyed',
          'TemporaryCertificateIssued',
          'TravelDocumentApplied',
          'TravelDocumentIssued',
          'TravelDocumentRefused',
        ].sort(),
      );
      const decoded = identityDocumentsEvents.IdentityDocumentsEvent.decode(byType.get('TemporaryCertificateIssued')!.value);
      expect(decoded.payload).toEqual({
        $case: 'temporaryCertificateIssued',
        temporaryCertificateIssued: {
          personId: decoded.envelope!.subject,
          issuedAt: '2025-09-11T09:00:00.000Z',
          issuer: 'OGiM',
          format: 'A4',
          validAsIdentityDocument: false,
        },
      });
      const issued = identityDocumentsEvents.IdentityDocumentsEvent.decode(byType.get('TravelDocumentIssued')!.value);
      expect(issued.payload).toMatchObject({
        $case: 'travelDocumentIssued',
        travelDocumentIssued: {
          issuedAt: '2025-10-20T10:00:00.000Z',
          country: 'LT',
          documentType: expect.stringMatching(/^(aliens-passport|humanitarian-visa)$/),
          validUntil: '2030-10-19',
          applicationId: expect.stringMatching(uuidV7),
        },
      });
      const refused = identityDocumentsEvents.IdentityDocumentsEvent.decode(byType.get('TravelDocumentRefused')!.value);
      expect(refused.envelope).toMatchObject({
        type: 'TravelDocumentRefused',
        source: 'identity-documents',
        actor: 'caseworker-test',
        streamId: `documents-${refused.envelope!.subject}`,
      });
    });
  });
});
