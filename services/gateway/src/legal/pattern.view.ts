import { ApiProperty } from '@nestjs/swagger';
import type { legal } from '@homeward/contracts';
import { practices } from '@homeward/vocabulary';
import { patternRulesText } from './legal.vocabulary.js';

export class PatternIndicatorView {
  @ApiProperty({ format: 'uuid' }) patternId!: string;
  @ApiProperty({ example: 'batch-2025-09-11', description: '"" for a pattern across a release period' }) batchId!: string;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: '2025-09-09',
    description: 'A pattern across batches: the first release day of its period; null for a batch pattern',
  })
  periodFrom!: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: '2025-10-08',
    description: 'The last release day of its period (included); null for a batch pattern',
  })
  periodTo!: string | null;
  @ApiProperty({ enum: practices }) practice!: string;
  @ApiProperty({ description: 'People of the batch or period affected when the indicator was raised' }) peopleAffected!: number;
  @ApiProperty({ description: 'People of the batch or period affected by now; the indicator is raised once and not raised again' })
  peopleAffectedNow!: number;
  @ApiProperty({ description: 'PATTERN_THRESHOLD (batch) or PERIOD_PATTERN_THRESHOLD (period) when it was raised' }) threshold!: number;
  @ApiProperty({ example: 'Rome Statute' }) instrument!: string;
  @ApiProperty({ example: '7(1)(d)' }) provision!: string;
  @ApiProperty({ example: 'Rome Statute 7(1)(d)' }) citation!: string;
  @ApiProperty({ type: [String], description: 'Cases of the people affected when it was raised' }) caseIds!: string[];
  @ApiProperty({ example: 'rule:batch-pattern', description: `The rules: ${patternRulesText}` }) raisedBy!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
}

export class PatternIndicatorsPage {
  @ApiProperty({ type: [PatternIndicatorView] }) items!: PatternIndicatorView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

export function patternIndicatorView(item: legal.PatternIndicator): PatternIndicatorView {
  return {
    patternId: item.patternId,
    batchId: item.batchId,
    periodFrom: item.periodFrom || null,
    periodTo: item.periodTo || null,
    practice: item.practice,
    peopleAffected: item.peopleAffected,
    peopleAffectedNow: item.peopleAffectedNow,
    threshold: item.threshold,
    instrument: item.instrument,
    provision: item.provision,
    citation: item.citation,
    caseIds: item.caseIds ?? [],
    raisedBy: item.raisedBy,
    raisedAt: item.raisedAt,
  };
}
