import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';

export const defaultPageSize = 50;

export class ListCasesQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;

  @ApiPropertyOptional({ maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'Legal provision, e.g. an article of a convention' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: '$property may hold only letters, digits and . _ : -' })
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
