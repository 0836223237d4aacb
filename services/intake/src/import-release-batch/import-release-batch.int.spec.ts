// Importing a release batch through intake's gRPC server against the real Postgres: good and bad
// rows side by side, re-imports that create nothing, and concurrent imports of the same file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { intake } from '@homeward/contracts';
import { metadata, startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';
import { importedPersonId } from './import-release-batch.js';

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

function row(n: number, overrides: Partial<intake.ImportRow> = {}): intake.ImportRow {
  return {
    row: n,
    externalRef: `ref-${n}`,
    person: {
      fullName: `Imported Invented ${n}`,
      aliases: [],
      birthDate: '1980-05-0' + (1 + (n % 9)),
      citizenships: ['BY'],
      foreignNational: n % 3 === 0,
      occupation: 'journalist',
    },
    imprisonment: { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', expectedRelease: '', facility: '' },
    release: {
      releasedAt: '2025-09-11T08:00:00.000Z',
      mechanism: 'brokered',
      batchId: '',
      daysOfSentenceRemaining: 30 * n,
      sentenceRemainingSource: '',
    },
    deportation: {
      deportedAt: '2025-09-11T14:00:00.000Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: 'Kamenny Log',
      consented: false,
    },
    ...overrides,
  };
}

const importRows = (batchId: string, rows: intake.ImportRow[]) =>
  harness.client.importReleaseBatch({ metadata: metadata(), batchId, rows });
const eventCount = async () => (await harness.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n;
const outcomes = (response: intake.ImportReleaseBatchResponse) =>
  response.rows.map((result) => [result.externalRef, result.outcome, result.reason]);

describe('importing a release batch', () => {
  const batchId = 'batch-import-1';
  const rows = [
    row(1),
    row(2, { deportation: undefined }),
    row(3),
    row(4, { imprisonment: { charges: [], sentenceMonths: 12, sentenceStart: '2024-01-01', expectedRelease: '2023-01-01', facility: '' } }),
    row(5, { externalRef: 'ref-1' }),
    row(6, { externalRef: '  ' }),
  ];
  let first: intake.ImportReleaseBatchResponse;

  beforeAll(async () => {
    first = await importRows(batchId, rows);
  }, 60_000);

  it('records the good rows and rejects the bad ones, each with its reason', () => {
    expect(first.batchId).toBe(batchId);
    expect(outcomes(first)).toEqual([
      ['ref-1', 'created', ''],
      ['ref-2', 'created', ''],
      ['ref-3', 'created', ''],
      ['ref-4', 'rejected', 'imprisonment.release-before-start'],
      ['ref-1', 'rejected', 'import.external-ref-repeated'],
      ['  ', 'rejected', 'validation-failed'],
    ]);
    expect(first.rows.map((result) => result.row)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(first.rows[3]!.errors).toEqual([
      { field: 'imprisonment', rule: 'imprisonment.release-before-start', message: expect.any(String) },
    ]);
    expect(first.rows[5]).toMatchObject({ personId: '', errors: [expect.objectContaining({ field: 'externalRef' })] });
    expect(JSON.stringify(first)).not.toContain('Imported Invented');
  });

  it('gives each row the person id derived from the batch and its externalRef', () => {
    expect(first.rows[0]!.personId).toBe(importedPersonId(batchId, 'ref-1'));
    expect(first.rows[4]!.personId).toBe(importedPersonId(batchId, 'ref-1'));
    expect(importedPersonId('batch-import-2', 'ref-1')).not.toBe(importedPersonId(batchId, 'ref-1'));
  });

  it('fills the read models: person files, the batch counts', async () => {
    const file = await harness.client.getPerson({ personId: first.rows[0]!.personId });
    expect(file).toMatchObject({
      status: 'in-exile',
      fullName: 'Imported Invented 1',
      batchId,
      streamVersion: 4,
      imprisonment: { sentenceMonths: 36, expectedRelease: '2025-12-01' },
      release: { batchId, daysOfSentenceRemaining: 30 },
    });
    expect((await harness.client.getPerson({ personId: first.rows[1]!.personId })).status).toBe('released');
    // Row 4 got as far as its registration: it is known for the batch, not released in it.
    expect((await harness.client.getPerson({ personId: first.rows[3]!.personId })).status).toBe('registered');
    expect((await harness.client.getReleaseBatch({ batchId })).counts).toEqual({
      announced: 0,
      registered: 4,
      released: 3,
      deported: 2,
      foreignNationals: 1,
      nearEndOfSentence: 3,
      contactLost: 0,
    });
  });

  it('creates nothing when the same rows are imported again', async () => {
    const before = await eventCount();
    const again = await importRows(batchId, rows);
    expect(outcomes(again)).toEqual([
      ['ref-1', 'unchanged', ''],
      ['ref-2', 'unchanged', ''],
      ['ref-3', 'unchanged', ''],
      ['ref-4', 'rejected', 'imprisonment.release-before-start'],
      ['ref-1', 'rejected', 'import.external-ref-repeated'],
      ['  ', 'rejected', 'validation-failed'],
    ]);
    expect(again.rows.map((result) => result.personId)).toEqual(first.rows.map((result) => result.personId));
    expect(await eventCount()).toBe(before);
  });

  it('updates a row that now says more, and refuses one that contradicts what was recorded', async () => {
    const before = await eventCount();
    const response = await importRows(batchId, [
      row(2),
      row(3, { person: { ...row(3).person!, fullName: 'Someone Else Invented' } }),
      row(4),
    ]);
    expect(outcomes(response)).toEqual([
      ['ref-2', 'updated', ''],
      ['ref-3', 'rejected', 'import.row-changed'],
      ['ref-4', 'updated', ''],
    ]);
    expect(response.rows[1]!.errors).toEqual([
      { field: 'registration', rule: 'unchangedOnReimport', message: expect.stringContaining('registration') },
    ]);
    expect(JSON.stringify(response)).not.toContain('Someone Else');
    expect(await eventCount()).toBe(before + 1 + 3);
    expect((await harness.client.getPerson({ personId: response.rows[0]!.personId })).status).toBe('in-exile');
    expect((await harness.client.getPerson({ personId: response.rows[1]!.personId })).fullName).toBe('Imported Invented 3');
  });

  it('refuses an If-Match and more than 1,000 rows, writing nothing', async () => {
    const before = await eventCount();
    await expect(
      harness.client.importReleaseBatch({ metadata: metadata({ expectedVersion: 3 }), batchId, rows: [row(9)] }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    const many = Array.from({ length: 1_001 }, (_, i) => row(100 + i));
    await expect(importRows('batch-too-big', many)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(importRows('not a batch id', [row(1)])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await eventCount()).toBe(before);
  });
});

describe('concurrent imports of the same file', () => {
  it('create each person once', async () => {
    const batchId = 'batch-concurrent';
    const rows = Array.from({ length: 24 }, (_, i) => row(i + 1, i % 4 === 0 ? { deportation: undefined } : {}));
    const responses = await Promise.all(Array.from({ length: 4 }, () => importRows(batchId, rows)));

    for (const response of responses) expect(response.rows.every((result) => result.outcome !== 'rejected')).toBe(true);
    // Whoever recorded a row's registration created it; the others found it and at most added a step.
    for (const [index, external] of rows.entries()) {
      const perRow = responses.map((response) => response.rows[index]!);
      expect(new Set(perRow.map((result) => result.personId))).toEqual(new Set([importedPersonId(batchId, external.externalRef)]));
      expect(perRow.filter((result) => result.outcome === 'created')).toHaveLength(1);
    }
    const streams = await harness.query<{ stream_id: string; n: number }>(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id = ANY($1) GROUP BY stream_id`,
      [rows.map((external) => `person-${importedPersonId(batchId, external.externalRef)}`)],
    );
    expect(streams).toHaveLength(24);
    expect(streams.reduce((sum, stream) => sum + stream.n, 0)).toBe(24 * 4 - 6);
    expect((await harness.client.getReleaseBatch({ batchId })).counts).toMatchObject({ registered: 24, released: 24, deported: 18 });
  }, 60_000);
});
