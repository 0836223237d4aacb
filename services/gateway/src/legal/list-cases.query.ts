import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';
import { citationMessage, citationPattern } from './legal.vocabulary.js';

export const defaultPageSize = 50;

export class ListCasesQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    pattern: citationPattern.source,
    example: 'ICCPR 12(4)',
    description: 'A citation, instrument and provision: cases with a violation of it flagged or confirmed (not dismissed)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(citationPattern, { message: citationMessage })
  provision?: string;

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
