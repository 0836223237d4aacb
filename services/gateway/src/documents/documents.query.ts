import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';
import { undocumentedStatuses } from './documents.vocabulary.js';

export class PersonDocumentsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Answer 409 not-yet-consistent unless the documents have reached this stream version' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(2 ** 32 - 1)
  minVersion?: number;
}

export const defaultPageSize = 50;

export class ListUndocumentedQuery {
  @ApiPropertyOptional({ enum: undocumentedStatuses, description: 'One status only; both when absent' })
  @IsOptional()
  @IsIn(undocumentedStatuses)
  status?: (typeof undocumentedStatuses)[number];

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
