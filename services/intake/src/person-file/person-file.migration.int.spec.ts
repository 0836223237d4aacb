// Person files written before custody episodes are brought to the new shape by the migration,
// and read and counted as the projection would have written them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CustodyEpisodes1764000000400 } from '../migrations.js';
import { startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

const personId = '0190a000-0000-7000-8000-0000000e0001';
const legacy = {
  personId,
  streamVersion: 4,
  status: 'in-exile',
  track: { phase: 'in-exile', contactLost: false },
  fullName: '',
  aliases: [],
  birthDate: '',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: '',
  batchId: 'batch-legacy',
  forgotten: false,
  imprisonment: { charges: [], sentenceMonths: 36, sentenceStart: '2023-01-31', expectedRelease: '2026-01-31', facility: '' },
  detentionConditions: [],
  release: { releasedAt: '2025-09-11T08:00:00.000Z', mechanism: 'brokered', batchId: 'batch-legacy', daysOfSentenceRemaining: 120 },
  deportation: { deportedAt: '2025-09-11T14:00:00.000Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: '', consented: false },
  returnAttempts: [],
  timeline: [],
  registeredAt: '2025-09-01T00:00:00.000Z',
  updatedAt: '2025-09-11T14:00:00.000Z',
};

describe('the custody-episodes migration', () => {
  it('gives a file of the old shape its one episode and its batch', async () => {
    const runner = harness.service.runtime.dataSource.createQueryRunner();
    try {
      await new CustodyEpisodes1764000000400().down(runner);
      await runner.query(`INSERT INTO person_file (id, doc) VALUES ($1, $2)`, [personId, legacy]);
      await new CustodyEpisodes1764000000400().up(runner);
    } finally {
      await runner.release();
    }
    const file = await harness.client.getPerson({ personId });
    expect(file.episodes).toEqual([
      {
        number: 1,
        imprisonment: legacy.imprisonment,
        detentionConditions: [],
        release: { ...legacy.release, sentenceRemainingSource: 'stated' },
        deportation: legacy.deportation,
        returnAttempts: [],
      },
    ]);
    expect((await harness.client.getReleaseBatch({ batchId: 'batch-legacy' })).counts).toMatchObject({
      registered: 1,
      released: 1,
      deported: 1,
      nearEndOfSentence: 1,
    });
    expect(
      (await harness.client.listPeople({ status: '', batchId: 'batch-legacy', limit: 10, cursor: '' })).items.map((item) => item.personId),
    ).toEqual([personId]);
  });
});
