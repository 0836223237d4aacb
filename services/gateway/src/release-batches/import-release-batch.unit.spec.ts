import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { intake } from '@homeward/contracts';
import { of } from 'rxjs';
import { startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let token: string;
beforeAll(async () => {
  gateway = await startGateway();
  token = await gateway.token(['intake'], { sub: 'clerk-3' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const url = '/v1/release-batches/batch-2025-09-11/import';
const postJson = (payload: unknown, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${token}`, ...headers } });
const postCsv = (payload: string, contentType = 'text/csv') =>
  gateway.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}`, 'content-type': contentType } });

const row = (n: number, overrides: Record<string, unknown> = {}) => ({
  externalRef: `ref-${n}`,
  fullName: `Invented Person ${n}`,
  birthDate: '1980-05-01',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'journalist',
  charges: ['art-342'],
  sentenceMonths: 36,
  sentenceStart: '2022-12-01',
  releasedAt: '2025-09-11T08:00:00Z',
  mechanism: 'brokered',
  daysOfSentenceRemaining: 90,
  deportedAt: '2025-09-11T14:00:00Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Kamenny Log',
  consented: false,
  ...overrides,
});

const expectedRow = (n: number): intake.ImportRow => ({
  row: n,
  externalRef: `ref-${n}`,
  person: {
    fullName: `Invented Person ${n}`,
    aliases: [],
    birthDate: '1980-05-01',
    citizenships: ['BY'],
    foreignNational: false,
    occupation: 'journalist',
  },
  imprisonment: { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', expectedRelease: '', facility: '' },
  release: {
    releasedAt: '2025-09-11T08:00:00Z',
    mechanism: 'brokered',
    batchId: '',
    daysOfSentenceRemaining: 90,
    sentenceRemainingSource: '',
  },
  deportation: { deportedAt: '2025-09-11T14:00:00Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: 'Kamenny Log', consented: false },
});

const sentRows = () => (gateway.intake.calls[0]!.request as intake.ImportReleaseBatchRequest).rows;
const problemType = (kind: string) => `https://homeward.example/problems/${kind}`;

describe('POST /v1/release-batches/:batchId/import with JSON rows', () => {
  it('sends the good rows to intake in one call and answers one outcome per row, bad rows included', async () => {
    const response = await postJson(
      {
        rows: [
          row(1),
          row(2, { birthDate: '1980-02-30' }),
          row(3, { deportedAt: undefined, fromCountry: undefined, toCountry: undefined, borderCrossing: undefined, consented: undefined }),
        ],
      },
      { 'x-correlation-id': 'corr-import' },
    );
    expect(response.statusCode).toBe(200);
    expect(gateway.intake.calls).toHaveLength(1);
    const call = gateway.intake.calls[0]!;
    expect(call.method).toBe('importReleaseBatch');
    expect(call.request).toEqual({
      metadata: expect.objectContaining({ actor: 'clerk-3', correlationId: 'corr-import' }),
      batchId: 'batch-2025-09-11',
      rows: [expectedRow(1), { ...expectedRow(3), deportation: undefined }],
    });
    expect(response.json()).toEqual({
      batchId: 'batch-2025-09-11',
      rows: [
        { row: 1, externalRef: 'ref-1', outcome: 'created', personId: '01936b2e-7a4c-7d1e-9f3a-000000000001' },
        {
          row: 2,
          externalRef: 'ref-2',
          outcome: 'rejected',
          reason: 'validation-failed',
          errors: [expect.objectContaining({ field: 'birthDate' })],
        },
        { row: 3, externalRef: 'ref-3', outcome: 'created', personId: '01936b2e-7a4c-7d1e-9f3a-000000000003' },
      ],
      counts: { created: 2, updated: 0, unchanged: 0, rejected: 1 },
    });
  });

  it('gives intake up to two minutes for the import', async () => {
    const before = Date.now();
    await postJson({ rows: [row(1)] });
    const [, options] = gateway.intake.calls[0]!.rest as [unknown, { deadline: number }];
    expect(options.deadline).toBeGreaterThanOrEqual(before + 120_000);
  });

  it("passes on intake's outcomes and reasons", async () => {
    gateway.intake.answers.importReleaseBatch = (request) =>
      of({
        batchId: request.batchId,
        rows: [
          { row: 1, externalRef: 'ref-1', outcome: 'unchanged', personId: 'p1', reason: '', errors: [] },
          { row: 2, externalRef: 'ref-2', outcome: 'updated', personId: 'p2', reason: '', errors: [] },
          {
            row: 3,
            externalRef: 'ref-3',
            outcome: 'rejected',
            personId: 'p3',
            reason: 'import.row-changed',
            errors: [{ field: 'registration', rule: 'unchangedOnReimport', message: 'differs' }],
          },
        ],
      });
    const response = await postJson({ rows: [row(1), row(2), row(3)] });
    expect(response.json()).toMatchObject({
      rows: [
        { row: 1, outcome: 'unchanged', personId: 'p1' },
        { row: 2, outcome: 'updated', personId: 'p2' },
        {
          row: 3,
          outcome: 'rejected',
          reason: 'import.row-changed',
          errors: [{ field: 'registration', rule: 'unchangedOnReimport', message: 'differs' }],
        },
      ],
      counts: { created: 0, updated: 1, unchanged: 1, rejected: 1 },
    });
  });

  it.each([
    ['a missing externalRef', { externalRef: undefined }, 'externalRef'],
    ['a blank externalRef', { externalRef: '   ' }, 'externalRef'],
    ['an externalRef over 100 characters', { externalRef: 'r'.repeat(101) }, 'externalRef'],
    ['a missing fullName', { fullName: undefined }, 'fullName'],
    ['an unknown mechanism', { mechanism: 'escape' }, 'mechanism'],
    ['a missing release date', { releasedAt: undefined }, 'releasedAt'],
    ['a lower-case country', { toCountry: 'lt' }, 'toCountry'],
    ['a deportation without consent', { consented: undefined }, 'consented'],
    ['a sentence of 0 months', { sentenceMonths: 0 }, 'sentenceMonths'],
    ['an unknown field', { religion: 'none' }, 'religion'],
    ['a batchId of its own', { batchId: 'batch-other' }, 'batchId'],
  ])('rejects a row with %s, naming the field, and imports the others', async (_case, overrides, field) => {
    const response = await postJson({ rows: [row(1), row(2, overrides)] });
    expect(response.statusCode).toBe(200);
    const rejected = response.json().rows[1];
    expect(rejected).toMatchObject({ row: 2, outcome: 'rejected', reason: 'validation-failed' });
    expect(rejected.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(sentRows().map((sent) => sent.externalRef)).toEqual(['ref-1']);
  });

  it('rejects a row that is not an object', async () => {
    const response = await postJson({ rows: [row(1), 'ref-2,Someone'] });
    expect(response.json().rows[1]).toMatchObject({
      row: 2,
      externalRef: null,
      outcome: 'rejected',
      errors: expect.arrayContaining([expect.objectContaining({ field: 'row', rule: 'isObject' })]),
    });
  });

  it('takes typed text too: lists separated by ;, numbers and booleans as strings', async () => {
    await postJson({
      rows: [
        row(1, {
          citizenships: 'BY; PL',
          charges: 'art-342;art-361',
          sentenceMonths: '36',
          foreignNational: 'TRUE',
          consented: 'false',
          aliases: '',
        }),
      ],
    });
    expect(sentRows()[0]).toMatchObject({
      person: { citizenships: ['BY', 'PL'], foreignNational: true, aliases: [] },
      imprisonment: { charges: ['art-342', 'art-361'], sentenceMonths: 36 },
      deportation: { consented: false },
    });
  });

  it('never echoes a value of a rejected row, in the answer or the logs', async () => {
    const response = await postJson({
      rows: [row(1, { fullName: 'SECRET-NAME', birthDate: 'SECRET-DATE', aliases: ['SECRET-ALIAS', 5] })],
    });
    expect(response.json().rows[0]).toMatchObject({ outcome: 'rejected' });
    expect(response.body).not.toContain('SECRET');
    expect(gateway.logs.join('\n')).not.toContain('SECRET');
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('answers without calling intake when every row is rejected', async () => {
    const response = await postJson({ rows: [row(1, { mechanism: 'x' }), row(2, { releasedAt: 'x' })] });
    expect(response.json().counts).toEqual({ created: 0, updated: 0, unchanged: 0, rejected: 2 });
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('takes 1,000 rows and refuses 1,001 or none with 400', async () => {
    const thousand = await postJson({
      rows: Array.from({ length: 1_000 }, (_, i) =>
        row(i + 1, {
          deportedAt: undefined,
          fromCountry: undefined,
          toCountry: undefined,
          borderCrossing: undefined,
          consented: undefined,
          birthDate: undefined,
        }),
      ),
    });
    expect(thousand.statusCode).toBe(200);
    expect(sentRows()).toHaveLength(1_000);
    gateway.reset();
    const tooMany = await postJson({ rows: Array.from({ length: 1_001 }, (_, i) => ({ externalRef: `r${i}` })) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors).toEqual([expect.objectContaining({ field: 'rows', rule: 'arrayMaxSize' })]);
    expect((await postJson({ rows: [] })).json().errors).toEqual([expect.objectContaining({ field: 'rows', rule: 'arrayMinSize' })]);
    expect((await postJson({ people: [row(1)] })).statusCode).toBe(400);
    expect((await postJson([row(1)])).statusCode).toBe(400);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('passes the command metadata on to intake', async () => {
    await postJson({ rows: [row(1)] }, { 'idempotency-key': 'import-1' });
    expect(gateway.intake.calls[0]!.request).toMatchObject({ metadata: { idempotencyKey: 'import-1' } });
  });
});

describe('POST /v1/release-batches/:batchId/import with a CSV file', () => {
  const header =
    'externalRef,fullName,birthDate,citizenships,foreignNational,occupation,charges,sentenceMonths,sentenceStart,releasedAt,mechanism,' +
    'daysOfSentenceRemaining,deportedAt,fromCountry,toCountry,borderCrossing,consented';
  const line = (n: number) =>
    `ref-${n},Invented Person ${n},1980-05-01,BY,false,journalist,art-342,36,2022-12-01,` +
    '2025-09-11T08:00:00Z,brokered,90,2025-09-11T14:00:00Z,BY,LT,Kamenny Log,false';

  it('reads the header and the records into the same rows as JSON', async () => {
    const response = await postCsv([header, line(1), line(2)].join('\n') + '\n', 'text/csv; charset=utf-8');
    expect(response.statusCode).toBe(200);
    expect(sentRows()).toEqual([expectedRow(1), expectedRow(2)]);
    expect(response.json().counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 0 });
  });

  it('reads quoted cells, ;-lists, empty cells as absent, CRLF and a byte order mark', async () => {
    const csv =
      '\ufeffexternalRef,fullName,aliases,citizenships,foreignNational,releasedAt,mechanism,sentenceMonths\r\n' +
      'ref-1,"Invented, Person",A. P.;Ales,PL;BY,true,2025-09-11T08:00:00Z,brokered,\r\n';
    const response = await postCsv(csv);
    expect(response.statusCode).toBe(200);
    expect(sentRows()).toEqual([
      {
        row: 1,
        externalRef: 'ref-1',
        person: {
          fullName: 'Invented, Person',
          aliases: ['A. P.', 'Ales'],
          birthDate: '',
          citizenships: ['PL', 'BY'],
          foreignNational: true,
          occupation: '',
        },
        imprisonment: { charges: [], sentenceMonths: 0, sentenceStart: '', expectedRelease: '', facility: '' },
        release: {
          releasedAt: '2025-09-11T08:00:00Z',
          mechanism: 'brokered',
          batchId: '',
          daysOfSentenceRemaining: 0,
          sentenceRemainingSource: '',
        },
        deportation: undefined,
      },
    ]);
  });

  it('rejects bad records on their own: a wrong cell count, a bad value', async () => {
    const response = await postCsv(
      [header, line(1), 'ref-2,Invented Person 2,1980-05-01', line(3).replace(',36,', ',thirty-six,')].join('\n'),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().rows).toEqual([
      expect.objectContaining({ row: 1, outcome: 'created' }),
      expect.objectContaining({
        row: 2,
        outcome: 'rejected',
        errors: expect.arrayContaining([expect.objectContaining({ field: 'row', rule: 'columnCount' })]),
      }),
      expect.objectContaining({ row: 3, outcome: 'rejected', reason: 'validation-failed' }),
    ]);
    expect(new Set(response.json().rows[2].errors.map((error: { field: string }) => error.field))).toEqual(new Set(['sentenceMonths']));
    expect(sentRows().map((sent) => sent.externalRef)).toEqual(['ref-1']);
  });

  it('refuses an unknown or repeated column and a file without externalRef, naming the position only', async () => {
    const unknown = await postCsv(`externalRef,fullName,SECRET-COLUMN\nref-1,A,x\n`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      detail: 'The CSV header is not valid',
      errors: [{ field: 'columns[2]', rule: 'isKnownColumn', message: expect.any(String) }],
    });
    expect(unknown.body).not.toContain('SECRET');
    expect((await postCsv('externalRef,fullName,fullName\nr,A,B\n')).json().errors).toEqual([
      expect.objectContaining({ field: 'columns[2]', rule: 'unique' }),
    ]);
    expect((await postCsv('fullName\nA\n')).json().errors).toEqual([expect.objectContaining({ field: 'columns', rule: 'externalRef' })]);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('refuses a file it cannot read without quoting it', async () => {
    const response = await postCsv(`${header}\nref-1,"SECRET-NAME unclosed,1980-05-01\n`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: problemType('validation-failed'), detail: 'The request body is not valid CSV' });
    expect(response.body).not.toContain('SECRET');
  });

  it('refuses an empty file, a header alone and 1,001 records with 400', async () => {
    expect((await postCsv('')).statusCode).toBe(400);
    expect((await postCsv(`${header}\n`)).json().errors).toEqual([expect.objectContaining({ field: 'rows', rule: 'arrayMinSize' })]);
    const tooMany = await postCsv([header, ...Array.from({ length: 1_001 }, (_, i) => line(i))].join('\n'));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors).toEqual([expect.objectContaining({ field: 'rows', rule: 'arrayMaxSize' })]);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('refuses a file over 1 MiB with 413', async () => {
    const response = await postCsv(`${header}\n` + `${line(1)}\n`.repeat(Math.ceil((1024 * 1024) / line(1).length) + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: problemType('payload-too-large') });
  });

  it('is taken by this route only: other routes still refuse text/csv', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/people',
      payload: 'fullName\nA\n',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: problemType('validation-failed'), detail: 'The request body must be application/json' });
    const announce = await gateway.app.inject({
      method: 'POST',
      url: '/v1/release-batches',
      payload: 'batchId\nb\n',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });
    expect(announce.statusCode).toBe(400);
    expect(gateway.intake.calls).toHaveLength(0);
  });

  it('refuses other text types on this route', async () => {
    expect((await postCsv(`${header}\n${line(1)}\n`, 'text/plain')).json()).toMatchObject({
      status: 400,
      detail: 'The request body must be application/json',
    });
  });
});

describe('import access and path', () => {
  it('is for intake and admin only', async () => {
    for (const [role, expected] of [
      ['admin', 200],
      ['legal', 403],
      ['documents', 403],
      ['notifications', 403],
    ] as const) {
      const response = await gateway.app.inject({
        method: 'POST',
        url,
        payload: { rows: [row(1)] },
        headers: { authorization: `Bearer ${await gateway.token([role])}` },
      });
      expect({ role, status: response.statusCode }).toEqual({ role, status: expected });
    }
    expect((await gateway.app.inject({ method: 'POST', url, payload: { rows: [row(1)] } })).statusCode).toBe(401);
  });

  it('refuses a batch id that is not one', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/release-batches/batch%20x/import',
      payload: { rows: [row(1)] },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.json()).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'batchId' })] });
  });
});
