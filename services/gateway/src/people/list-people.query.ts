import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';
import { batchIdPattern } from './record-release.dto.js';

export const personStatuses = ['registered', 'imprisoned', 'released', 'in-exile', 'return-attempted', 'whereabouts-unknown', 're-arrested', 'home'] as const;
export const defaultPeoplePageSize = 50;

export class ListPeopleQuery {
  @ApiPropertyOptional({ enum: personStatuses, description: 'The derived status' })
  @IsOptional()
  @IsIn(personStatuses)
  status?: (typeof personStatuses)[number];

  @ApiPropertyOptional({ maxLength: 64, pattern: batchIdPattern.source, description: 'People registered for or released in this batch' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(batchIdPattern, { message: '$property may hold only letters, digits, dot, underscore and hyphen' })
  batchId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: defaultPeoplePageSize })
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
