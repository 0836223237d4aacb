import { ApiPropertyOptional } from '@nestjs/swagger';
import { personStatuses } from '@homeward/vocabulary';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { batchIdSchema, IsBatchId } from '../http/formats.js';
import { PageQuery } from '../http/page.query.js';

export class ListPeopleQuery extends PageQuery {
  @ApiPropertyOptional({ enum: personStatuses, description: 'The derived status' })
  @IsOptional()
  @IsIn(personStatuses)
  status?: (typeof personStatuses)[number];

  @ApiPropertyOptional({
    ...batchIdSchema,
    description: 'People released in this batch (in any custody episode), or registered for it and released in no batch',
  })
  @IsOptional()
  @IsString()
  @IsBatchId()
  batchId?: string;
}
