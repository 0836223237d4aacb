import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../http/page.query.js';
import { batchIdPattern } from './record-release.dto.js';

export const personStatuses = ['registered', 'imprisoned', 'released', 'in-exile', 'return-attempted', 'whereabouts-unknown', 're-arrested', 'home'] as const;

export class ListPeopleQuery extends PageQuery {
  @ApiPropertyOptional({ enum: personStatuses, description: 'The derived status' })
  @IsOptional()
  @IsIn(personStatuses)
  status?: (typeof personStatuses)[number];

  @ApiPropertyOptional({ maxLength: 64, pattern: batchIdPattern.source, description: 'People released in this batch (in any custody episode), or registered for it and released in no batch' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(batchIdPattern, { message: '$property may hold only letters, digits, dot, underscore and hyphen' })
  batchId?: string;
}
