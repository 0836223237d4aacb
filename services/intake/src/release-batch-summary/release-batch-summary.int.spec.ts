// A release batch's counts through intake's gRPC server against the real Postgres: the
// announcement, and the people of the batch as later events change their files.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { intake } from '@homeward/contracts';
import { metadata, startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

interface Invented {
  foreign?: boolean;
  days?: number;
  registeredFor?: string;
  releasedIn?: string | null;
  deported?: boolean;
}

async function person(n: number, { foreign = false, days = 0, registeredFor = '', releasedIn = null, deported = false }: Invented) {
  const { client } = harness;
  const { id } = await client.registerPerson({
    metadata: metadata(),
    personId: '',
    fullName: `Batch Invented ${n}`,
    aliases: [],
    birthDate: '',
    citizenships: foreign ? ['PL'] : ['BY'],
    foreignNational: foreign,
    occupation: 'blogger',
    batchId: registeredFor,
  });
  await client.recordImprisonment({
    metadata: metadata(),
    personId: id,
    charges: [],
    sentenceMonths: 0,
    sentenceStart: '',
    expectedRelease: '',
    facility: '',
  });
  if (releasedIn !== null) {
    await client.recordRelease({
      metadata: metadata(),
      personId: id,
      releasedAt: '2025-09-11T08:00:00Z',
      mechanism: 'brokered',
      batchId: releasedIn,
      daysOfSentenceRemaining: days,
    });
  }
  if (deported) {
    await client.recordDeportation({
      metadata: metadata(),
      personId: id,
      deportedAt: '2025-09-11T14:00:00Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: '',
      consented: false,
    });
  }
  return id;
}

const counts = async (batchId: string) => (await harness.client.getReleaseBatch({ batchId })).counts;
const none: intake.ReleaseBatchCounts = {
  announced: 0,
  registered: 0,
  released: 0,
  deported: 0,
  foreignNationals: 0,
  nearEndOfSentence: 0,
  contactLost: 0,
};

describe('a release batch', () => {
  const batchId = 'batch-2025-09-11';
  const people: string[] = [];

  beforeAll(async () => {
    const announced = await harness.client.announceReleaseBatch({
      metadata: metadata(),
      batchId,
      date: '2025-09-11',
      announcedCount: 52,
      brokeredBy: 'United States',
      conditions: 'driven to Lithuania',
    });
    expect(announced).toMatchObject({ id: batchId, streamVersion: 1, eventIds: [expect.any(String)] });
    people.push(
      await person(1, { foreign: true, days: 120, releasedIn: batchId, deported: true }),
      await person(2, { days: 182, releasedIn: batchId, deported: true }),
      await person(3, { days: 183, releasedIn: batchId }),
      await person(4, { foreign: true, days: 0, releasedIn: batchId }),
      await person(5, { registeredFor: batchId }), // expected in the batch, release not yet confirmed
      await person(6, { registeredFor: 'batch-other', releasedIn: batchId, days: 1 }), // the release's batch wins
      await person(7, { releasedIn: 'batch-other', days: 10, foreign: true }),
      await person(8, { releasedIn: '' }),
    );
  }, 30_000);

  it('has the announcement and counts its people', async () => {
    const batch = await harness.client.getReleaseBatch({ batchId });
    expect(batch).toEqual({
      batchId,
      announcement: {
        date: '2025-09-11',
        announcedCount: 52,
        brokeredBy: 'United States',
        conditions: 'driven to Lithuania',
        announcedAt: expect.any(String),
      },
      counts: { announced: 52, registered: 6, released: 5, deported: 2, foreignNationals: 2, nearEndOfSentence: 3, contactLost: 0 },
    });
  });

  it('follows later events of its people: lost contact counts while it lasts, a deportation at once', async () => {
    const [first, , third] = people;
    await harness.client.recordContactLost({
      metadata: metadata(),
      personId: first!,
      lastContactAt: '2025-09-12T08:00:00Z',
      reportedBy: 'family',
    });
    await harness.client.recordContactLost({
      metadata: metadata(),
      personId: third!,
      lastContactAt: '2025-09-12T08:00:00Z',
      reportedBy: 'caseworker',
    });
    await harness.client.recordDeportation({
      metadata: metadata(),
      personId: third!,
      deportedAt: '2025-09-12T14:00:00Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: '',
      consented: false,
    });
    expect(await counts(batchId)).toMatchObject({ deported: 3, contactLost: 2 });
    await harness.client.recordContactReestablished({
      metadata: metadata(),
      personId: first!,
      contactAt: '2025-09-14T08:00:00Z',
      reportedBy: 'lawyer',
    });
    expect(await counts(batchId)).toMatchObject({ registered: 6, released: 5, deported: 3, contactLost: 1 });
  });

  it('counts the release of someone registered for the batch once it is recorded', async () => {
    await harness.client.recordRelease({
      metadata: metadata(),
      personId: people[4]!,
      releasedAt: '2025-09-11T08:00:00Z',
      mechanism: 'brokered',
      batchId,
      daysOfSentenceRemaining: 45,
    });
    expect(await counts(batchId)).toMatchObject({ registered: 6, released: 6, nearEndOfSentence: 4 });
  });

  it('is announced once', async () => {
    const again = harness.client.announceReleaseBatch({
      metadata: metadata(),
      batchId,
      date: '2025-09-11',
      announcedCount: 53,
      brokeredBy: '',
      conditions: '',
    });
    await expect(again).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
    await again.catch((error: { metadata: { get(key: string): unknown[] } }) =>
      expect(error.metadata.get('homeward-error-code')).toEqual(['release-batch.already-announced']),
    );
    expect((await harness.client.getReleaseBatch({ batchId })).announcement!.announcedCount).toBe(52);
  });
});

describe('a batch named by releases but never announced', () => {
  it('is counted without an announcement', async () => {
    await person(20, { releasedIn: 'batch-unannounced', days: 100, foreign: true });
    await person(21, { releasedIn: 'batch-unannounced', days: 400 });
    const batch = await harness.client.getReleaseBatch({ batchId: 'batch-unannounced' });
    expect(batch.announcement ?? undefined).toBeUndefined();
    expect(batch.counts).toEqual({ ...none, registered: 2, released: 2, foreignNationals: 1, nearEndOfSentence: 1 });
  });

  it('answers an announcement made later with the same counts', async () => {
    await harness.client.announceReleaseBatch({
      metadata: metadata(),
      batchId: 'batch-unannounced',
      date: '2025-10-01',
      announcedCount: 2,
      brokeredBy: '',
      conditions: '',
    });
    expect(await counts('batch-unannounced')).toEqual({
      ...none,
      announced: 2,
      registered: 2,
      released: 2,
      foreignNationals: 1,
      nearEndOfSentence: 1,
    });
  });
});

describe('a batch nobody named', () => {
  it('is not found, and an announced but empty batch is', async () => {
    await expect(harness.client.getReleaseBatch({ batchId: 'batch-nobody' })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await harness.client.announceReleaseBatch({
      metadata: metadata(),
      batchId: 'batch-empty',
      date: '2025-12-01',
      announcedCount: 10,
      brokeredBy: '',
      conditions: '',
    });
    expect(await counts('batch-empty')).toEqual({ ...none, announced: 10 });
  });

  it('refuses a batch id that is not one', async () => {
    await expect(harness.client.getReleaseBatch({ batchId: 'batch/../x' })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});

describe('the sentence left at release', () => {
  it('counts a release with no days stated from the imprisonment record, and a stated figure wins over it', async () => {
    const { client } = harness;
    const batchId = 'batch-derived';
    const imprisonedUntil = async (n: number, expectedRelease: string) => {
      const { id } = await client.registerPerson({
        metadata: metadata(),
        personId: '',
        fullName: `Derived Invented ${n}`,
        aliases: [],
        birthDate: '',
        citizenships: ['BY'],
        foreignNational: false,
        occupation: '',
        batchId: '',
      });
      await client.recordImprisonment({
        metadata: metadata(),
        personId: id,
        charges: [],
        sentenceMonths: 0,
        sentenceStart: '',
        expectedRelease,
        facility: '',
      });
      return id;
    };
    const releasedOn = (personId: string, daysOfSentenceRemaining: number) =>
      client.recordRelease({
        metadata: metadata(),
        personId,
        releasedAt: '2025-09-11T08:00:00Z',
        mechanism: 'brokered',
        batchId,
        daysOfSentenceRemaining,
      });
    await releasedOn(await imprisonedUntil(1, '2026-01-09'), 0); // 120 days derived: near the end
    await releasedOn(await imprisonedUntil(2, '2031-09-11'), 0); // six years derived: not
    await releasedOn(await imprisonedUntil(3, '2031-09-11'), 90); // stated 90 days wins over the record: near the end
    await releasedOn(await imprisonedUntil(4, ''), 0); // unknown: not counted
    expect(await counts(batchId)).toMatchObject({ registered: 4, released: 4, nearEndOfSentence: 2 });
  });
});

describe('a person released in two batches, one custody episode each', () => {
  it('counts in both, each time with the episode of that release', async () => {
    const { client } = harness;
    const id = await person(30, { releasedIn: 'batch-episode-1', days: 100, deported: true });
    await client.reportRearrest({ metadata: metadata(), personId: id, reportedAt: '2025-10-02T12:00:00Z', place: '' });
    await client.recordImprisonment({
      metadata: metadata(),
      personId: id,
      charges: [],
      sentenceMonths: 60,
      sentenceStart: '2025-11-01',
      expectedRelease: '',
      facility: '',
    });
    await client.recordRelease({
      metadata: metadata(),
      personId: id,
      releasedAt: '2026-06-21T08:00:00Z',
      mechanism: 'pardon',
      batchId: 'batch-episode-2',
      daysOfSentenceRemaining: 0,
    });
    expect(await counts('batch-episode-1')).toEqual({ ...none, registered: 1, released: 1, deported: 1, nearEndOfSentence: 1 });
    expect(await counts('batch-episode-2')).toEqual({ ...none, registered: 1, released: 1 });
    await client.recordDeportation({
      metadata: metadata(),
      personId: id,
      deportedAt: '2026-06-21T14:00:00Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: '',
      consented: false,
    });
    expect(await counts('batch-episode-2')).toEqual({ ...none, registered: 1, released: 1, deported: 1 });
  });
});
