import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';
import { batchIdPattern, practices } from './legal.vocabulary.js';
import { defaultPageSize } from './list-cases.query.js';

export class ListPatternsQuery {
  @ApiPropertyOptional({ maxLength: 64, pattern: batchIdPattern.source, description: 'A release batch' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(batchIdPattern, { message: '$property may hold only letters, digits, dot, underscore and hyphen' })
  batchId?: string;

  @ApiPropertyOptional({ enum: practices })
  @IsOptional()
  @IsIn(practices)
  practice?: (typeof practices)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: defaultPageSize })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 500, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
