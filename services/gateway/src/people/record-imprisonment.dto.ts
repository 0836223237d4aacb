import { ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { datePattern, IsDate } from '../http/formats.js';

/** Everything may be unknown: that the person was imprisoned is the fact recorded. */
export class RecordImprisonmentBody {
  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Articles or charges, 1..200 characters each', example: ['art-342'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  charges?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1200, description: 'Length of the sentence; absent when unknown' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1200)
  sentenceMonths?: number;

  @ApiPropertyOptional({ format: 'date', pattern: datePattern.source, example: '2022-12-01' })
  @IsOptional()
  @IsString()
  @IsDate()
  sentenceStart?: string;

  @ApiPropertyOptional({
    format: 'date',
    pattern: datePattern.source,
    description: 'Computed from sentenceStart + sentenceMonths when absent',
  })
  @IsOptional()
  @IsString()
  @IsDate()
  expectedRelease?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'IK-15' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  facility?: string;
}

export const imprisonmentOf = (body: RecordImprisonmentBody): intake.Imprisonment => ({
  charges: body.charges ?? [],
  sentenceMonths: body.sentenceMonths ?? 0,
  sentenceStart: body.sentenceStart ?? '',
  expectedRelease: body.expectedRelease ?? '',
  facility: body.facility ?? '',
});
