// A release stored under schema version 1, before the source of the remaining sentence was
// recorded, read back by today's code: the upcaster names the days it carries as stated, and a
// rebuilt person file derives the days it lacks from the episode's imprisonment.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, type CommandContext } from '@homeward/eventsourcing';
import { rebuildInlineProjection } from '@homeward/operations';
import { intakeUpcasters, personStreamId, type PersonEvent } from '@homeward/intake-domain';
import { personFile } from '../person-file/person-file.projection.js';
import { metadata, startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

const context: CommandContext = { actor: 'test-clerk', correlationId: 'corr-v1', causationId: '', occurredAt: '2025-09-11T08:00:00.000Z' };

/** Appends a PrisonerReleased exactly as version 1 of intake wrote it: no upcasters, no sentenceRemainingSource. */
async function releaseAsVersion1(personId: string, daysOfSentenceRemaining: number) {
  const { dataSource, store } = harness.service.runtime;
  const version1 = new EventStore(dataSource, { ...store!.options, projections: [], upcasters: {} });
  const data = { personId, releasedAt: '2025-09-11T08:00:00.000Z', mechanism: 'brokered', batchId: 'batch-v1', daysOfSentenceRemaining };
  const decider = {
    decide: () => [{ type: 'PrisonerReleased', data } as unknown as PersonEvent],
    evolve: (state: null) => state,
    initialState: () => null,
  };
  await version1.handle(decider, null, { streamId: personStreamId(personId), subject: personId }, context);
}

async function imprisonedUntil(expectedRelease: string) {
  const { id } = await harness.client.registerPerson({
    metadata: metadata(),
    personId: '',
    fullName: 'Stored Invented',
    aliases: [],
    birthDate: '',
    citizenships: ['BY'],
    foreignNational: false,
    occupation: '',
    batchId: '',
  });
  await harness.client.recordImprisonment({
    metadata: metadata(),
    personId: id,
    charges: [],
    sentenceMonths: 0,
    sentenceStart: '',
    expectedRelease,
    facility: '',
  });
  return id;
}

describe('a release stored under schema version 1', () => {
  let stated: string;
  let unstated: string;

  beforeAll(async () => {
    stated = await imprisonedUntil('2026-01-31');
    unstated = await imprisonedUntil('2026-01-09');
    await releaseAsVersion1(stated, 142);
    await releaseAsVersion1(unstated, 0);
  });

  it('is stored as it was written', async () => {
    const [row] = await harness.query<{ schema_version: number; data: Record<string, unknown> }>(
      `SELECT schema_version, data FROM events WHERE stream_id = $1 AND type = 'PrisonerReleased'`,
      [personStreamId(unstated)],
    );
    expect(row!.schema_version).toBe(1);
    expect(row!.data).not.toHaveProperty('sentenceRemainingSource');
  });

  it("reads as today's shape: days it carries were stated, none is unknown", async () => {
    const released = async (personId: string) =>
      (await harness.service.runtime.store!.readStream(personStreamId(personId))).find((event) => event.type === 'PrisonerReleased')!;
    expect(await released(stated)).toMatchObject({
      schemaVersion: 2,
      data: { daysOfSentenceRemaining: 142, sentenceRemainingSource: 'stated' },
    });
    expect(await released(unstated)).toMatchObject({ schemaVersion: 2, data: { daysOfSentenceRemaining: 0, sentenceRemainingSource: '' } });
  });

  it('rebuilds into person files whose missing days are derived from the imprisonment, and the next command goes on from it', async () => {
    await rebuildInlineProjection({ dataSource: harness.service.runtime.dataSource, projection: personFile, upcasters: intakeUpcasters });
    expect((await harness.client.getPerson({ personId: stated })).release).toMatchObject({
      daysOfSentenceRemaining: 142,
      sentenceRemainingSource: 'stated',
    });
    expect((await harness.client.getPerson({ personId: unstated })).release).toMatchObject({
      daysOfSentenceRemaining: 120,
      sentenceRemainingSource: 'derived',
    });
    expect((await harness.client.getReleaseBatch({ batchId: 'batch-v1' })).counts).toMatchObject({ released: 2, nearEndOfSentence: 2 });
    await harness.client.recordDeportation({
      metadata: metadata(),
      personId: unstated,
      deportedAt: '2025-09-11T14:00:00.000Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: '',
      consented: false,
    });
    expect(await harness.client.getPerson({ personId: unstated })).toMatchObject({
      status: 'in-exile',
      episodes: [{ number: 1, deportation: { toCountry: 'LT' } }],
    });
  });
});
