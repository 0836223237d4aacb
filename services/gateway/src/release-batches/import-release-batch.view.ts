import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { FieldErrorView } from '../openapi/problem.view.js';
import { maxImportRows } from './import-rows.js';

const list = 'a JSON array, or in CSV one cell with the items separated by `;`';

/** One row, as a JSON object or a CSV record; every field follows the rule of the single endpoint that records it. */
export class ImportRowView {
  @ApiProperty({
    maxLength: 100,
    description: "The caller's stable id of the row (never personal data): with the batch it fixes the person id",
  })
  externalRef!: string;
  @ApiProperty({ description: 'As POST /v1/people. Personal' }) fullName!: string;
  @ApiPropertyOptional({ type: [String], description: `As POST /v1/people; ${list}. Personal` }) aliases?: string[];
  @ApiPropertyOptional({ format: 'date', description: 'Personal' }) birthDate?: string;
  @ApiPropertyOptional({ type: [String], description: `ISO 3166-1 alpha-2; ${list}`, example: ['BY'] }) citizenships?: string[];
  @ApiPropertyOptional({ description: 'true or false' }) foreignNational?: boolean;
  @ApiPropertyOptional() occupation?: string;
  @ApiPropertyOptional({ type: [String], description: `As POST /v1/people/{personId}/imprisonment; ${list}` }) charges?: string[];
  @ApiPropertyOptional({ type: 'integer' }) sentenceMonths?: number;
  @ApiPropertyOptional({ format: 'date' }) sentenceStart?: string;
  @ApiPropertyOptional({ format: 'date' }) expectedRelease?: string;
  @ApiPropertyOptional() facility?: string;
  @ApiProperty({ format: 'date-time', description: 'As POST /v1/people/{personId}/release, with the batch of the path' })
  releasedAt!: string;
  @ApiProperty({ enum: ['pardon', 'end-of-sentence', 'exchange', 'brokered'] }) mechanism!: string;
  @ApiPropertyOptional({ type: 'integer' }) daysOfSentenceRemaining?: number;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'As POST /v1/people/{personId}/deportation, recorded when any deportation field is given',
  })
  deportedAt?: string;
  @ApiPropertyOptional({ example: 'BY' }) fromCountry?: string;
  @ApiPropertyOptional({ example: 'LT' }) toCountry?: string;
  @ApiPropertyOptional() borderCrossing?: string;
  @ApiPropertyOptional({ description: 'true or false' }) consented?: boolean;
}

/** The JSON body; each row is checked on its own, so one bad row never refuses the others. */
export class ImportReleaseBatchBody {
  @ApiProperty({ type: [ImportRowView], minItems: 1, maxItems: maxImportRows })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(maxImportRows)
  rows!: unknown[];
}

export const importOutcomes = ['created', 'updated', 'unchanged', 'rejected'] as const;
type Outcome = (typeof importOutcomes)[number];

export class ImportRowResultView {
  @ApiProperty({ description: '1-based position among the data rows' }) row!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null when the row has no valid externalRef' }) externalRef!: string | null;
  @ApiProperty({
    enum: importOutcomes,
    description: 'created: the person is new; updated: a step was added; unchanged: all was recorded before',
  })
  outcome!: Outcome;
  @ApiPropertyOptional({ format: 'uuid' }) personId?: string;
  @ApiPropertyOptional({ description: 'rejected only: a stable code, e.g. validation-failed, person.already-released, import.row-changed' })
  reason?: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: 'Which fields or steps, by which rule; never a value' })
  errors?: FieldErrorView[];
}

export class ImportCountsView {
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() rejected!: number;
}

export class ReleaseBatchImportView {
  @ApiProperty() batchId!: string;
  @ApiProperty({ type: [ImportRowResultView] }) rows!: ImportRowResultView[];
  @ApiProperty({ type: ImportCountsView }) counts!: ImportCountsView;
}

const isOutcome = (value: string): value is Outcome => (importOutcomes as readonly string[]).includes(value);

export function importRowResultView(result: intake.ImportRowResult): ImportRowResultView {
  return {
    row: result.row,
    externalRef: result.externalRef || null,
    outcome: isOutcome(result.outcome) ? result.outcome : 'rejected',
    ...(result.personId ? { personId: result.personId } : {}),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.errors?.length ? { errors: result.errors.map(({ field, rule, message }) => ({ field, rule, message })) } : {}),
  };
}

export function releaseBatchImportView(batchId: string, results: intake.ImportRowResult[]): ReleaseBatchImportView {
  const rows = results.map(importRowResultView).sort((a, b) => a.row - b.row);
  const counts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const row of rows) counts[row.outcome] += 1;
  return { batchId, rows, counts };
}
