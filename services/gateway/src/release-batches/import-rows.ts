// The rows of a release batch file, from JSON or CSV, each checked with the very DTOs (and the
// very validation pipe) of the single endpoints: registration, imprisonment, release and, when any
// of its columns is given, deportation. A bad row is rejected on its own; the others go on.
import type { intake } from '@homeward/contracts';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { validationPipe } from '../http/validation.js';
import { deportationOf, RecordDeportationBody } from '../people/record-deportation.dto.js';
import { imprisonmentOf, RecordImprisonmentBody } from '../people/record-imprisonment.dto.js';
import { RecordReleaseBody, releaseOf } from '../people/record-release.dto.js';
import { personDetailsOf, RegisterPersonBody } from '../people/register-person.dto.js';
import { ProblemException, validationFailed, type FieldError } from '../problems/problem.js';

export const maxImportRows = 1_000;

const parts = {
  person: { body: RegisterPersonBody, columns: ['fullName', 'aliases', 'birthDate', 'citizenships', 'foreignNational', 'occupation'] },
  imprisonment: { body: RecordImprisonmentBody, columns: ['charges', 'sentenceMonths', 'sentenceStart', 'expectedRelease', 'facility'] },
  release: { body: RecordReleaseBody, columns: ['releasedAt', 'mechanism', 'daysOfSentenceRemaining'] },
  deportation: { body: RecordDeportationBody, columns: ['deportedAt', 'fromCountry', 'toCountry', 'borderCrossing', 'consented'] },
} as const;

export const importColumns: readonly string[] = ['externalRef', ...Object.values(parts).flatMap((part) => part.columns)];
const known = new Set(importColumns);
/** Text cells that stand for lists (`;`-separated), integers and booleans, as CSV has no types. */
const lists = new Set(['aliases', 'citizenships', 'charges']);
const integers = new Set(['sentenceMonths', 'daysOfSentenceRemaining']);
const booleans = new Set(['foreignNational', 'consented']);
const externalRefPattern = /^[^\p{Cc}]{1,100}$/u;

/** A row as it came: column -> value, or what was wrong with its shape. */
export interface ParsedRow {
  values: Record<string, unknown>;
  errors: FieldError[];
}

export type CheckedRow = { row: number; accepted: intake.ImportRow } | { row: number; rejected: intake.ImportRowResult };

/** Empty cells are absent; typed columns given as text are read as their type (else left to fail). */
function normalised(values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    if (value === '' || value === null || value === undefined) continue;
    if (typeof value !== 'string') row[column] = value;
    else if (lists.has(column))
      row[column] = value
        .split(';')
        .map((item) => item.trim())
        .filter(Boolean);
    else if (integers.has(column) && /^\s*\d{1,10}\s*$/.test(value)) row[column] = Number(value);
    else if (booleans.has(column) && /^\s*(true|false)\s*$/i.test(value)) row[column] = value.trim().toLowerCase() === 'true';
    else row[column] = value;
  }
  return row;
}

const pick = (row: Record<string, unknown>, columns: readonly string[]) =>
  Object.fromEntries(columns.filter((column) => column in row).map((column) => [column, row[column]]));

async function validated<Body extends object>(metatype: new () => Body, value: object): Promise<{ body: Body; errors: FieldError[] }> {
  try {
    return { body: (await validationPipe().transform(value, { type: 'body', metatype, data: '' })) as Body, errors: [] };
  } catch (error) {
    if (error instanceof ProblemException) return { body: value as Body, errors: error.extra.errors ?? [] };
    throw error;
  }
}

/** Checks one row; `row` is its 1-based position among the data rows. */
export async function checkRow(row: number, parsed: ParsedRow): Promise<CheckedRow> {
  const values = normalised(parsed.values);
  const externalRef =
    typeof values['externalRef'] === 'string' && externalRefPattern.test(values['externalRef']) && /\S/.test(values['externalRef'])
      ? values['externalRef']
      : null;
  const errors = [...parsed.errors];
  if (externalRef === null)
    errors.push({
      field: 'externalRef',
      rule: 'isExternalRef',
      message: 'externalRef must be 1 to 100 characters without control characters, not blank',
    });
  for (const column of Object.keys(values).filter((column) => !known.has(column))) {
    errors.push({ field: column, rule: 'whitelistValidation', message: `property ${column} should not exist` });
  }
  const person = await validated(parts.person.body, pick(values, parts.person.columns));
  const imprisonment = await validated(parts.imprisonment.body, pick(values, parts.imprisonment.columns));
  const release = await validated(parts.release.body, pick(values, parts.release.columns));
  const deportationValues = pick(values, parts.deportation.columns);
  const deportation = Object.keys(deportationValues).length > 0 ? await validated(parts.deportation.body, deportationValues) : null;
  errors.push(...person.errors, ...imprisonment.errors, ...release.errors, ...(deportation?.errors ?? []));

  if (errors.length > 0)
    return {
      row,
      rejected: { row, externalRef: externalRef ?? '', outcome: 'rejected', personId: '', reason: 'validation-failed', errors },
    };
  return {
    row,
    accepted: {
      row,
      externalRef: externalRef!,
      person: personDetailsOf(person.body),
      imprisonment: imprisonmentOf(imprisonment.body),
      release: releaseOf(release.body, ''),
      deportation: deportation ? deportationOf(deportation.body) : undefined,
    },
  };
}

function tooMany(count: number): never {
  throw validationFailed([
    { field: 'rows', rule: 'arrayMaxSize', message: `an import takes at most ${maxImportRows} rows, this one has ${count}` },
  ]);
}

/** The rows of a JSON body, already checked to be an array of 1..1000 entries. */
export function rowsFromJson(rows: unknown[]): ParsedRow[] {
  return rows.map((values) =>
    typeof values === 'object' && values !== null && !Array.isArray(values)
      ? { values: values as Record<string, unknown>, errors: [] }
      : { values: {}, errors: [{ field: 'row', rule: 'isObject', message: 'each row must be an object' }] },
  );
}

/** The rows of a CSV file: a header naming known columns, then one record per person. */
export function rowsFromCsv(text: string): ParsedRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, max_record_size: 64 * 1024 });
  } catch (error) {
    // csv-parse's messages quote the offending text; only its code and line are passed on.
    const where = error instanceof CsvError && typeof error['lines'] === 'number' ? ` near line ${error['lines']}` : '';
    const code = error instanceof CsvError ? error.code : 'CSV_INVALID';
    throw validationFailed([{ field: 'body', rule: code, message: `the CSV cannot be read${where}` }], 'The request body is not valid CSV');
  }
  const [header, ...data] = records;
  if (!header)
    throw validationFailed(
      [{ field: 'body', rule: 'csvHeader', message: 'the CSV needs a header row naming its columns' }],
      'The request body is not valid CSV',
    );
  const headerErrors: FieldError[] = [];
  header.forEach((column, index) => {
    if (!known.has(column))
      headerErrors.push({
        field: `columns[${index}]`,
        rule: 'isKnownColumn',
        message: `column ${index + 1} is not one of: ${importColumns.join(', ')}`,
      });
    else if (header.indexOf(column) !== index)
      headerErrors.push({ field: `columns[${index}]`, rule: 'unique', message: `column ${index + 1} repeats an earlier column` });
  });
  if (!header.includes('externalRef'))
    headerErrors.push({ field: 'columns', rule: 'externalRef', message: 'the CSV needs an externalRef column' });
  if (headerErrors.length > 0) throw validationFailed(headerErrors, 'The CSV header is not valid');
  if (data.length === 0) throw validationFailed([{ field: 'rows', rule: 'arrayMinSize', message: 'the CSV has no data rows' }]);
  if (data.length > maxImportRows) tooMany(data.length);
  return data.map((cells) => ({
    values: Object.fromEntries(header.map((column, index) => [column, cells[index]])),
    errors:
      cells.length === header.length
        ? []
        : [{ field: 'row', rule: 'columnCount', message: `the row has ${cells.length} cells, the header ${header.length}` }],
  }));
}
