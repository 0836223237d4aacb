// Personal data in identity-documents, against the real Postgres and Kafka: the place, account and
// reason are sealed before they enter an event, read back only through the query edge, and gone
// for good once intake's PersonForgotten arrives, rebuilds included. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { identityDocuments } from '@homeward/contracts';
import { createKafkaBroker } from '@homeward/messaging';
import { serviceOperations } from '@homeward/service-kit';
import { eventually, kafkaBrokers, uniqueName } from '@homeward/testing';
import { v7 as uuidv7 } from 'uuid';
import { metadata, personForgotten, refusalOf, startDocumentsHarness, type DocumentsHarness } from '../testing/documents-harness.js';

const place = 'Invented Lakeside Detention Block';
const account = 'Torn up in front of an invented witness named Ales Fictionau';
const reason = 'The invented consul doubted the photograph';
const secrets = [place, account, reason, 'Lakeside', 'Fictionau', 'photograph'];

let harness: DocumentsHarness;
beforeAll(async () => {
  harness = await startDocumentsHarness();
}, 60_000);
afterAll(() => harness?.stop());

/** A confiscation, a destruction, an application refused with a reason, and a certificate; two of them with an Idempotency-Key. */
async function recordPapers(personId: string): Promise<string> {
  const { client } = harness;
  await client.recordPassportConfiscation({
    metadata: metadata({ idempotencyKey: `confiscate-${uuidv7()}` }),
    personId,
    confiscatedAt: '2025-09-11T06:00:00Z',
    authority: 'kgb',
    place,
  });
  await client.recordPassportDestruction({
    metadata: metadata(),
    personId,
    destroyedAt: '2025-09-11T07:00:00Z',
    authority: 'kgb',
    account,
  });
  const { applicationId } = await client.applyForTravelDocument({
    metadata: metadata({ idempotencyKey: `apply-${uuidv7()}` }),
    personId,
    applicationId: '',
    appliedAt: '2025-09-20T10:00:00Z',
    country: 'LT',
    documentType: 'aliens-passport',
  });
  await client.decideTravelDocumentApplication({
    metadata: metadata(),
    personId,
    applicationId,
    decision: 'refused',
    decidedAt: '2025-10-01T10:00:00Z',
    validUntil: '',
    reason,
  });
  await client.issueTemporaryCertificate({
    metadata: metadata(),
    personId,
    issuedAt: '2025-10-02T09:00:00Z',
    issuer: 'OGiM',
    format: 'A4',
    validAsIdentityDocument: false,
  });
  return applicationId;
}

/** Every row of every table of the service's database, as text. */
async function everythingStored(): Promise<string> {
  const tables = await harness.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const texts: string[] = [];
  for (const { name } of tables) {
    const rows = await harness.query<{ text: string }>(`SELECT t::text AS text FROM "${name}" t`);
    texts.push(...rows.map((row) => row.text));
  }
  return texts.join('\n');
}

const keyRow = async (personId: string) =>
  (
    await harness.query<{ destroyed: boolean; wrapped: boolean }>(
      `SELECT destroyed_at IS NOT NULL AS destroyed, wrapped_key IS NOT NULL AS wrapped FROM person_keys WHERE person_id = $1`,
      [personId],
    )
  )[0];

const erased = (personId: string) =>
  eventually(
    () => keyRow(personId),
    (row) => row?.destroyed === true,
    { timeoutMs: 10_000, what: 'the key destroyed' },
  );

/** What an erasure may touch, for the person: to show that a second one touches nothing. */
const erasureState = async (personId: string) => ({
  key: await harness.query(`SELECT * FROM person_keys WHERE person_id = $1`, [personId]),
  documents: await harness.query(`SELECT doc, updated_at FROM person_documents WHERE id = $1`, [personId]),
  fingerprints: await harness.query(`SELECT key, request_hash, result FROM idempotency_keys WHERE result->>'id' = $1 ORDER BY key`, [
    personId,
  ]),
});

/** Until the erasure consumer has read everything published on intake's topic so far. */
const caughtUp = () =>
  eventually(
    () => harness.service.runtime.consumers[0]!.lag(),
    (partitions) => partitions.every((partition) => partition.lag === '0'),
    { timeoutMs: 10_000, what: 'the erasure consumer caught up' },
  );

const withoutValues = (documents: identityDocuments.PersonDocuments) => ({
  status: documents.status,
  passport: {
    state: documents.passport?.state,
    confiscatedAt: documents.passport?.confiscation?.confiscatedAt,
    destroyedAt: documents.passport?.destruction?.destroyedAt,
  },
  certificates: documents.certificates,
  applications: documents.applications.map(({ reason: _reason, ...application }) => application),
});

describe('personal data in identity-documents', () => {
  const personId = uuidv7();
  let applicationId: string;

  beforeAll(async () => {
    applicationId = await recordPapers(personId);
  });

  const inBoth = 'in events and read model';
  it(`given recorded papers, then the place, account and reason are stored only as enc:v2 ciphertext, ${inBoth}`, async () => {
    const text = await everythingStored();
    for (const secret of secrets) expect(text).not.toContain(secret);
    const events = await harness.query<{ type: string; data: Record<string, string> }>(
      `SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [`documents-${personId}`],
    );
    const field = (type: string, name: string) => events.find((event) => event.type === type)!.data[name];
    expect(field('PassportConfiscated', 'place')).toMatch(/^enc:v2:/);
    expect(field('PassportDestroyed', 'account')).toMatch(/^enc:v2:/);
    expect(field('TravelDocumentRefused', 'reason')).toMatch(/^enc:v2:/);
    const [row] = await harness.query<{ doc: identityDocuments.PersonDocuments }>(`SELECT doc FROM person_documents WHERE id = $1`, [
      personId,
    ]);
    expect(row!.doc.passport!.confiscation!.place).toBe(field('PassportConfiscated', 'place'));
  });

  it('given recorded papers, then what the relay publishes on Kafka holds none of them in clear', async () => {
    const [{ n: stored }] = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`);
    const values: Buffer[] = [];
    const broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'identity-documents-erasure-reader' });
    const reader = await broker.subscribe({
      groupId: uniqueName('identity-documents-erasure-reader'),
      topics: [harness.topic],
      eachBatch: async (batch) => {
        for (const message of batch.messages) {
          values.push(message.value);
          batch.resolveOffset(message.offset);
        }
      },
    });
    try {
      await eventually(
        async () => values.length,
        (n) => n >= stored!,
        { timeoutMs: 30_000, what: `${stored} events on Kafka` },
      );
    } finally {
      await reader.stop();
      await broker.disconnect();
    }
    const published = Buffer.concat(values).toString('latin1');
    for (const secret of secrets) expect(published).not.toContain(secret);
  });

  it('given recorded papers, then the query edge answers them in clear', async () => {
    const documents = await harness.client.getDocuments({ personId });
    expect(documents).toMatchObject({
      status: 'at-risk-of-statelessness',
      passport: { state: 'destroyed', confiscation: { authority: 'kgb', place }, destruction: { authority: 'kgb', account } },
      applications: [{ applicationId, decision: 'refused', reason }],
    });
  });

  describe('when intake erases the person', () => {
    let before: identityDocuments.PersonDocuments;
    const other = uuidv7();

    beforeAll(async () => {
      await recordPapers(other);
      before = await harness.client.getDocuments({ personId });
      await harness.publishIntake(personForgotten(personId));
      await erased(personId);
    });

    it('then the key is destroyed', async () => {
      expect(await keyRow(personId)).toEqual({ destroyed: true, wrapped: false });
      expect((await harness.service.keys.find(harness.service.runtime.dataSource, personId)).state).toBe('forgotten');
    });

    const everywhere = 'in the read model and through gRPC';
    it(`then the documents keep ids, statuses, dates and kinds, and answer "" for every value, ${everywhere}`, async () => {
      const documents = await harness.client.getDocuments({ personId });
      expect(documents).toMatchObject({
        passport: { state: 'destroyed', confiscation: { authority: 'kgb', place: '' }, destruction: { authority: 'kgb', account: '' } },
        applications: [{ applicationId, decision: 'refused', reason: '' }],
      });
      expect(withoutValues(documents)).toEqual(withoutValues(before));
      const [row] = await harness.query<{ doc: identityDocuments.PersonDocuments }>(`SELECT doc FROM person_documents WHERE id = $1`, [
        personId,
      ]);
      expect(row!.doc).toMatchObject({
        passport: { confiscation: { place: '' }, destruction: { account: '' } },
        applications: [{ reason: '' }],
      });
      expect(await harness.client.listUndocumented({ status: '', limit: 200, cursor: '' })).toMatchObject({
        items: expect.arrayContaining([{ personId, status: 'at-risk-of-statelessness' }]),
      });
    });

    it('then no fingerprint of an earlier request is left to check a guessed account against', async () => {
      const rows = await harness.query<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE result->>'id' = $1`, [
        personId,
      ]);
      expect(rows).toHaveLength(2);
      expect(rows.every((row) => row.request_hash === 'forgotten')).toBe(true);
    });

    const nothingWritten = 'with or without a personal value, and nothing is written';
    it(`then every command for the person is refused with person.forgotten, ${nothingWritten}`, async () => {
      const { client } = harness;
      const [{ n: events }] = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [
        `documents-${personId}`,
      ]);
      const refusals = [
        await refusalOf(
          client.recordPassportDestruction({
            metadata: metadata(),
            personId,
            destroyedAt: '2025-10-03T07:00:00Z',
            authority: 'kgb',
            account,
          }),
        ),
        await refusalOf(
          client.issueTemporaryCertificate({
            metadata: metadata(),
            personId,
            issuedAt: '2025-10-03T09:00:00Z',
            issuer: 'OGiM',
            format: 'A4',
            validAsIdentityDocument: false,
          }),
        ),
        await refusalOf(
          client.applyForTravelDocument({
            metadata: metadata(),
            personId,
            applicationId: '',
            appliedAt: '2025-10-03T10:00:00Z',
            country: 'PL',
            documentType: 'refugee-travel-document',
          }),
        ),
        await refusalOf(
          client.decideTravelDocumentApplication({
            metadata: metadata(),
            personId,
            applicationId,
            decision: 'issued',
            decidedAt: '2025-10-04T10:00:00Z',
            validUntil: '',
            reason: '',
          }),
        ),
      ];
      expect(refusals).toEqual(['person.forgotten', 'person.forgotten', 'person.forgotten', 'person.forgotten']);
      const [{ n: after }] = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [
        `documents-${personId}`,
      ]);
      expect(after).toBe(events);
    });

    it('then no table of the database holds any of the values in clear', async () => {
      const text = await everythingStored();
      for (const secret of secrets) expect(text).not.toContain(secret);
    });

    it('then a second PersonForgotten for the person changes nothing more', async () => {
      const state = await erasureState(personId);
      await harness.publishIntake(personForgotten(personId));
      await caughtUp();
      expect(await erasureState(personId)).toEqual(state);
    });

    it('then rebuilding both read models from the events succeeds and brings no value back', async () => {
      const operations = serviceOperations(harness.service.runtime);
      const jobs = [await operations.rebuildProjection('person_documents'), await operations.rebuildProjection('undocumented_people')];
      await operations.settle();
      for (const job of jobs) expect(await operations.getJob(job.id)).toMatchObject({ state: 'done', errorCode: '' });
      const documents = await harness.client.getDocuments({ personId });
      expect(documents).toMatchObject({
        passport: { confiscation: { place: '' }, destruction: { account: '' } },
        applications: [{ reason: '' }],
      });
      expect(withoutValues(documents)).toEqual(withoutValues(before));
      const text = await everythingStored();
      for (const secret of secrets) expect(text).not.toContain(secret);
    });

    it('then another person stays readable', async () => {
      expect(await harness.client.getDocuments({ personId: other })).toMatchObject({
        passport: { confiscation: { place }, destruction: { account } },
        applications: [{ reason }],
      });
    });
  });

  it('given a PersonForgotten before any documents command, then the person is forgotten and refused all the same', async () => {
    const stranger = uuidv7();
    await harness.publishIntake(personForgotten(stranger));
    await erased(stranger);
    expect(
      await refusalOf(
        harness.client.issueTemporaryCertificate({
          metadata: metadata(),
          personId: stranger,
          issuedAt: '2025-10-02T09:00:00Z',
          issuer: 'OGiM',
          format: 'A4',
          validAsIdentityDocument: false,
        }),
      ),
    ).toBe('person.forgotten');
    expect(
      await refusalOf(
        harness.client.recordPassportConfiscation({
          metadata: metadata(),
          personId: stranger,
          confiscatedAt: '2025-09-11T06:00:00Z',
          authority: 'kgb',
          place,
        }),
      ),
    ).toBe('person.forgotten');
    expect(await harness.query(`SELECT 1 FROM events WHERE stream_id = $1`, [`documents-${stranger}`])).toEqual([]);
  });
});
