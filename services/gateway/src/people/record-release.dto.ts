import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { releaseMechanisms } from '@homeward/vocabulary';
import { batchIdSchema, dateTimePattern, IsBatchId, IsDateTime } from '../http/formats.js';

export class RecordReleaseBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-11T14:00:00Z' })
  @IsString()
  @IsDateTime()
  releasedAt!: string;

  @ApiProperty({ enum: releaseMechanisms })
  @IsIn(releaseMechanisms)
  mechanism!: (typeof releaseMechanisms)[number];

  @ApiPropertyOptional({ ...batchIdSchema, description: 'The release batch, when part of one' })
  @IsOptional()
  @IsString()
  @IsBatchId()
  batchId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 36500 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36500)
  daysOfSentenceRemaining?: number;
}

export const releaseOf = (body: Omit<RecordReleaseBody, 'batchId'>, batchId: string): intake.Release => ({
  releasedAt: body.releasedAt,
  mechanism: body.mechanism,
  batchId,
  daysOfSentenceRemaining: body.daysOfSentenceRemaining ?? 0,
  sentenceRemainingSource: '', // intake's to decide
});
