import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { returnOutcomes } from '@homeward/vocabulary';
import { dateTimePattern, IsDateTime } from '../http/formats.js';

export class RecordReturnAttemptBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-12T09:00:00Z' })
  @IsString()
  @IsDateTime()
  attemptedAt!: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'Kamenny Log' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  borderCrossing?: string;

  @ApiProperty({ enum: returnOutcomes, description: 'crossed: the person is home; refused or unknown: still outside' })
  @IsIn(returnOutcomes)
  outcome!: (typeof returnOutcomes)[number];
}
