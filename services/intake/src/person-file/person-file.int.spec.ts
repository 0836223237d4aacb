// The person file and the people list after sequences of commands, through intake's gRPC server
// against the real Postgres; the events' way out through the outbox to the real Kafka.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { intake } from '@homeward/contracts';
import { createKafkaBroker, decodeEventValue, type IncomingMessage } from '@homeward/messaging';
import { eventually, kafkaBrokers, uniqueName } from '@homeward/testing';
import { metadata, startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

const person = (fullName: string, overrides: Partial<intake.RegisterPersonRequest> = {}): intake.RegisterPersonRequest => ({
  metadata: metadata(),
  personId: '',
  fullName,
  aliases: ['Invented Alias'],
  birthDate: '1979-03-02',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'journalist',
  batchId: '',
  ...overrides,
});
const imprisonment = (personId: string): intake.RecordImprisonmentRequest => ({
  metadata: metadata(),
  personId,
  charges: ['art-342', 'art-361-1'],
  sentenceMonths: 36,
  sentenceStart: '2023-01-31',
  expectedRelease: '',
  facility: 'IK-15',
});
const release = (personId: string, batchId = ''): intake.RecordReleaseRequest => ({
  metadata: metadata(),
  personId,
  releasedAt: '2025-09-11T08:00:00.000Z',
  mechanism: 'brokered',
  batchId,
  daysOfSentenceRemaining: 120,
});
const deportation = (personId: string): intake.RecordDeportationRequest => ({
  metadata: metadata(),
  personId,
  deportedAt: '2025-09-11T14:00:00.000Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Kamenny Log',
  consented: false,
});

async function registerImprisoned(fullName: string, overrides: Partial<intake.RegisterPersonRequest> = {}) {
  const { id } = await harness.client.registerPerson(person(fullName, overrides));
  await harness.client.recordImprisonment(imprisonment(id));
  return id;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: { code: number; metadata: { get(key: string): unknown[] } }) => ({
      code: error.code,
      errorCode: error.metadata.get('homeward-error-code')[0],
    }),
  );

describe('the person file', () => {
  let personId: string;
  const eventIds: string[] = [];

  beforeAll(async () => {
    const client = harness.client;
    const steps = [await client.registerPerson(person('Ales Invented', { batchId: 'batch-pf-1' }))];
    personId = steps[0]!.id;
    steps.push(
      await client.recordImprisonment(imprisonment(personId)),
      await client.reportDetentionCondition({
        metadata: metadata(),
        personId,
        kind: 'solitary-confinement',
        periodFrom: '2024-01-01',
        periodTo: '2024-12-31',
        account: 'Invented account of a year alone.',
      }),
      await client.reportDetentionCondition({
        metadata: metadata(),
        personId,
        kind: 'lawyer-denied',
        periodFrom: '2023-02-01',
        periodTo: '',
        account: '',
      }),
      await client.recordRelease(release(personId, 'batch-pf-2')),
      await client.recordDeportation(deportation(personId)),
      await client.recordReturnAttempt({
        metadata: metadata(),
        personId,
        attemptedAt: '2025-09-12T09:00:00.000Z',
        borderCrossing: 'Benyakoni',
        outcome: 'refused',
      }),
      await client.recordReturnAttempt({
        metadata: metadata(),
        personId,
        attemptedAt: '2025-09-13T09:00:00.000Z',
        borderCrossing: 'Kamenny Log',
        outcome: 'unknown',
      }),
      await client.recordContactLost({ metadata: metadata(), personId, lastContactAt: '2025-09-13T08:00:00.000Z', reportedBy: 'family' }),
    );
    eventIds.push(...steps.flatMap((step) => step.eventIds));
  }, 30_000);

  it('answers each command with the next stream version', async () => {
    expect(eventIds).toHaveLength(9);
    const file = await harness.client.getPerson({ personId });
    expect(file.streamVersion).toBe(9);
    expect(file.timeline.map((entry) => entry.eventId)).toEqual(eventIds);
  });

  it('holds every section, the derived status and a timeline without personal fields', async () => {
    const file = await harness.client.getPerson({ personId });
    expect(file).toMatchObject({
      personId,
      status: 'whereabouts-unknown',
      fullName: 'Ales Invented',
      aliases: ['Invented Alias'],
      birthDate: '1979-03-02',
      batchId: 'batch-pf-2',
      imprisonment: {
        charges: ['art-342', 'art-361-1'],
        sentenceMonths: 36,
        sentenceStart: '2023-01-31',
        expectedRelease: '2026-01-31',
        facility: 'IK-15',
      },
      detentionConditions: [
        {
          kind: 'solitary-confinement',
          periodFrom: '2024-01-01',
          periodTo: '2024-12-31',
          account: 'Invented account of a year alone.',
          eventId: eventIds[2],
        },
        { kind: 'lawyer-denied', periodFrom: '2023-02-01', periodTo: '', account: '', eventId: eventIds[3] },
      ],
      release: { releasedAt: '2025-09-11T08:00:00.000Z', mechanism: 'brokered', batchId: 'batch-pf-2', daysOfSentenceRemaining: 120 },
      deportation: {
        deportedAt: '2025-09-11T14:00:00.000Z',
        fromCountry: 'BY',
        toCountry: 'LT',
        borderCrossing: 'Kamenny Log',
        consented: false,
      },
      returnAttempts: [
        { attemptedAt: '2025-09-12T09:00:00.000Z', borderCrossing: 'Benyakoni', outcome: 'refused' },
        { attemptedAt: '2025-09-13T09:00:00.000Z', borderCrossing: 'Kamenny Log', outcome: 'unknown' },
      ],
      contact: { lost: true, lastContactAt: '2025-09-13T08:00:00.000Z', reportedBy: 'family' },
    });
    expect(file.timeline.map((entry) => entry.summary)).toEqual([
      'registered',
      'imprisoned: sentence of 36 months',
      'detention condition reported: solitary-confinement',
      'detention condition reported: lawyer-denied',
      'released (brokered, batch batch-pf-2)',
      'deported BY -> LT without consent',
      'return attempted: refused',
      'return attempted: unknown',
      'contact lost (reported by family)',
    ]);
    expect(file.episodes).toMatchObject([
      { number: 1, detentionConditions: file.detentionConditions, release: { batchId: 'batch-pf-2' }, returnAttempts: file.returnAttempts },
    ]);
    expect(JSON.stringify(file.timeline)).not.toMatch(/Ales|Invented|1979/);
    expect(file).not.toHaveProperty('track');
  });

  it('returns to the status before contact was lost, then follows a re-arrest', async () => {
    await harness.client.recordContactReestablished({
      metadata: metadata(),
      personId,
      contactAt: '2025-09-20T10:00:00.000Z',
      reportedBy: 'lawyer',
    });
    expect(await harness.client.getPerson({ personId })).toMatchObject({
      status: 'return-attempted',
      contact: { lost: false, lastContactAt: '2025-09-20T10:00:00.000Z', reportedBy: 'lawyer' },
    });
    await harness.client.reportRearrest({ metadata: metadata(), personId, reportedAt: '2025-09-25T12:00:00.000Z', place: 'Minsk' });
    expect(await harness.client.getPerson({ personId })).toMatchObject({
      status: 're-arrested',
      rearrest: { reportedAt: '2025-09-25T12:00:00.000Z', place: 'Minsk' },
    });
  });

  it('goes home when a return attempt crosses', async () => {
    const id = await registerImprisoned('Maryna Invented');
    await harness.client.recordRelease(release(id));
    await harness.client.recordDeportation(deportation(id));
    await harness.client.recordReturnAttempt({
      metadata: metadata(),
      personId: id,
      attemptedAt: '2025-10-01T09:00:00.000Z',
      borderCrossing: '',
      outcome: 'crossed',
    });
    expect(await harness.client.getPerson({ personId: id })).toMatchObject({ status: 'home', batchId: '' });
  });

  it('refuses what cannot happen with the stable code as gRPC trailer, and records nothing', async () => {
    const id = (await harness.client.registerPerson(person('Pavel Invented'))).id;
    expect(await refusal(harness.client.recordRelease(release(id)))).toEqual({
      code: status.FAILED_PRECONDITION,
      errorCode: 'person.not-imprisoned',
    });
    expect(
      await refusal(
        harness.client.reportDetentionCondition({
          metadata: metadata(),
          personId: id,
          kind: 'ill-treatment',
          periodFrom: '',
          periodTo: '',
          account: '',
        }),
      ),
    ).toEqual({ code: status.FAILED_PRECONDITION, errorCode: 'person.not-imprisoned' });
    expect(await refusal(harness.client.recordDeportation(deportation(id)))).toEqual({
      code: status.FAILED_PRECONDITION,
      errorCode: 'person.not-released',
    });
    expect(await refusal(harness.client.recordRelease(release(id, 'no spaces allowed')))).toEqual({
      code: status.INVALID_ARGUMENT,
      errorCode: 'release-batch.id-invalid',
    });
    expect((await harness.client.getPerson({ personId: id })).streamVersion).toBe(1);
    expect(await harness.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [`person-${id}`])).toEqual([{ n: 1 }]);
  });

  it('follows a second custody episode: re-arrest, new imprisonment, new release and deportation', async () => {
    const id = await registerImprisoned('Siarhei Invented', { batchId: 'batch-ep-1' });
    await harness.client.recordRelease(release(id, 'batch-ep-1'));
    await harness.client.recordDeportation(deportation(id));
    await harness.client.recordReturnAttempt({
      metadata: metadata(),
      personId: id,
      attemptedAt: '2025-10-01T09:00:00.000Z',
      borderCrossing: 'Benyakoni',
      outcome: 'crossed',
    });
    await harness.client.reportRearrest({ metadata: metadata(), personId: id, reportedAt: '2025-10-02T12:00:00.000Z', place: 'Hrodna' });
    expect(await refusal(harness.client.recordRelease(release(id)))).toMatchObject({ errorCode: 'person.not-imprisoned' });
    await harness.client.recordImprisonment({ ...imprisonment(id), charges: ['art-130'], sentenceMonths: 24, sentenceStart: '2025-11-01' });
    expect(await refusal(harness.client.recordImprisonment(imprisonment(id)))).toMatchObject({ errorCode: 'person.already-imprisoned' });
    await harness.client.recordRelease({
      ...release(id, 'batch-ep-2'),
      releasedAt: '2026-06-21T08:00:00.000Z',
      daysOfSentenceRemaining: 0,
    });
    await harness.client.recordDeportation({ ...deportation(id), deportedAt: '2026-06-21T14:00:00.000Z', toCountry: 'PL' });

    const file = await harness.client.getPerson({ personId: id });
    expect(file).toMatchObject({
      status: 'in-exile',
      batchId: 'batch-ep-2',
      imprisonment: { charges: ['art-130'], expectedRelease: '2027-11-01' },
      release: { batchId: 'batch-ep-2', daysOfSentenceRemaining: 498, sentenceRemainingSource: 'derived' },
      deportation: { toCountry: 'PL' },
      rearrest: { place: 'Hrodna' },
    });
    expect(file.episodes).toEqual([
      {
        number: 1,
        imprisonment: {
          charges: ['art-342', 'art-361-1'],
          sentenceMonths: 36,
          sentenceStart: '2023-01-31',
          expectedRelease: '2026-01-31',
          facility: 'IK-15',
        },
        detentionConditions: [],
        release: {
          releasedAt: '2025-09-11T08:00:00.000Z',
          mechanism: 'brokered',
          batchId: 'batch-ep-1',
          daysOfSentenceRemaining: 120,
          sentenceRemainingSource: 'stated',
        },
        deportation: {
          deportedAt: '2025-09-11T14:00:00.000Z',
          fromCountry: 'BY',
          toCountry: 'LT',
          borderCrossing: 'Kamenny Log',
          consented: false,
        },
        returnAttempts: [{ attemptedAt: '2025-10-01T09:00:00.000Z', borderCrossing: 'Benyakoni', outcome: 'crossed' }],
        rearrest: { reportedAt: '2025-10-02T12:00:00.000Z', place: 'Hrodna' },
      },
      {
        number: 2,
        imprisonment: {
          charges: ['art-130'],
          sentenceMonths: 24,
          sentenceStart: '2025-11-01',
          expectedRelease: '2027-11-01',
          facility: 'IK-15',
        },
        detentionConditions: [],
        release: {
          releasedAt: '2026-06-21T08:00:00.000Z',
          mechanism: 'brokered',
          batchId: 'batch-ep-2',
          daysOfSentenceRemaining: 498,
          sentenceRemainingSource: 'derived',
        },
        deportation: {
          deportedAt: '2026-06-21T14:00:00.000Z',
          fromCountry: 'BY',
          toCountry: 'PL',
          borderCrossing: 'Kamenny Log',
          consented: false,
        },
        returnAttempts: [],
      },
    ]);
    expect(file.timeline.map((entry) => entry.summary)).toEqual([
      'registered',
      'imprisoned: sentence of 36 months',
      'released (brokered, batch batch-ep-1)',
      'deported BY -> LT without consent',
      'return attempted: crossed',
      're-arrest reported',
      'imprisoned again (custody episode 2): sentence of 24 months',
      'released (brokered, batch batch-ep-2)',
      'deported BY -> PL without consent',
    ]);
    // Listed under both batches it was released in.
    for (const batchId of ['batch-ep-1', 'batch-ep-2']) {
      expect((await harness.client.listPeople({ status: '', batchId, limit: 10, cursor: '' })).items.map((item) => item.personId)).toEqual([
        id,
      ]);
    }
  });

  it('records a contact when none was lost: a fact, not an error', async () => {
    const id = await registerImprisoned('Nina Invented');
    await harness.client.recordContactReestablished({
      metadata: metadata(),
      personId: id,
      contactAt: '2025-09-20T10:00:00.000Z',
      reportedBy: 'family',
    });
    expect(await harness.client.getPerson({ personId: id })).toMatchObject({
      status: 'imprisoned',
      contact: { lost: false, reportedBy: 'family' },
    });
  });

  it('answers not-yet-consistent below minVersion and not-found for nobody', async () => {
    expect(await refusal(harness.client.getPerson({ personId, minVersion: 99 }))).toMatchObject({ errorCode: 'person.not-yet-consistent' });
    expect(await refusal(harness.client.getPerson({ personId: '0190a000-0000-7000-8000-00000000dead' }))).toEqual({
      code: status.NOT_FOUND,
      errorCode: 'person.not-found',
    });
  });
});

describe('the people list', () => {
  const batchId = 'batch-list-1';
  let inBatch: string[];

  beforeAll(async () => {
    inBatch = [];
    for (let i = 0; i < 5; i += 1) {
      const id = await registerImprisoned(`Listed Invented ${i}`);
      await harness.client.recordRelease(release(id, batchId));
      if (i < 2) await harness.client.recordDeportation(deportation(id));
      inBatch.push(id);
    }
  }, 30_000);

  const everything = async (request: Omit<intake.ListPeopleRequest, 'cursor'>) => {
    const items: intake.PersonSummary[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await harness.client.listPeople({ ...request, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    return { items, pages };
  };

  it('filters by batch and pages with a cursor, in person id order, every person once', async () => {
    const { items, pages } = await everything({ status: '', batchId, limit: 2 });
    expect(pages).toBe(3);
    expect(items.map((item) => item.personId)).toEqual([...inBatch].sort());
    expect(items[0]).toEqual({
      personId: expect.any(String),
      fullName: expect.stringMatching(/^Listed Invented/),
      status: expect.stringMatching(/^(released|in-exile)$/),
      batchId,
      streamVersion: expect.any(Number),
      updatedAt: expect.any(String),
      forgotten: false,
    });
  });

  it('filters by derived status, also within a batch', async () => {
    expect((await everything({ status: 'in-exile', batchId, limit: 50 })).items.map((item) => item.personId).sort()).toEqual(
      inBatch.slice(0, 2).sort(),
    );
    const released = (await everything({ status: 'released', batchId: '', limit: 200 })).items.map((item) => item.personId);
    expect(released).toEqual(expect.arrayContaining(inBatch.slice(2)));
    expect(released).not.toContain(inBatch[0]);
  });

  it('refuses an unknown status and a forged cursor', async () => {
    expect(await refusal(harness.client.listPeople({ status: 'free', batchId: '', limit: 10, cursor: '' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      errorCode: 'people.status-invalid',
    });
    expect(await refusal(harness.client.listPeople({ status: '', batchId: '', limit: 10, cursor: 'bm90LWEtdXVpZA' }))).toMatchObject({
      errorCode: 'cursor.invalid',
    });
  });
});

describe('the events on Kafka', () => {
  it('publishes every event type with the person (or the batch) as key, decodable by the contract', async () => {
    await harness.client.announceReleaseBatch({
      metadata: metadata(),
      batchId: 'batch-kafka-1',
      date: '2025-09-11',
      announcedCount: 3,
      brokeredBy: 'United States',
      conditions: '',
    });
    const broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: uniqueName('intake-test') });
    const seen: Array<{ key: string; type: string; subject: string }> = [];
    try {
      await broker.subscribe({
        groupId: uniqueName('intake-test'),
        topics: [harness.topic],
        eachBatch: async (batch) => {
          for (const message of batch.messages as IncomingMessage[]) {
            const event = decodeEventValue('intake', message.value);
            seen.push({ key: message.key, type: event.type, subject: event.subject });
            batch.resolveOffset(message.offset);
          }
        },
      });
      const types = [
        'PersonRegistered',
        'ImprisonmentRecorded',
        'DetentionConditionReported',
        'PrisonerReleased',
        'PrisonerDeported',
        'ReturnAttempted',
        'ContactLost',
        'ContactReestablished',
        'RearrestReported',
        'ReleaseBatchAnnounced',
      ];
      await eventually(
        async () => new Set(seen.map((event) => event.type)),
        (found) => types.every((type) => found.has(type)),
        { timeoutMs: 30_000, what: 'every intake event type on the topic' },
      );
      expect(seen.every((event) => event.key === event.subject)).toBe(true);
      expect(seen.find((event) => event.type === 'ReleaseBatchAnnounced')).toEqual({
        key: 'batch-kafka-1',
        type: 'ReleaseBatchAnnounced',
        subject: 'batch-kafka-1',
      });
    } finally {
      await broker.disconnect();
    }
  }, 60_000);
});
