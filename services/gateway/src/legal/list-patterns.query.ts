import { ApiPropertyOptional } from '@nestjs/swagger';
import { practices } from '@homeward/vocabulary';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { batchIdSchema, IsBatchId } from '../http/formats.js';
import { PageQuery } from '../http/page.query.js';

export class ListPatternsQuery extends PageQuery {
  @ApiPropertyOptional({ ...batchIdSchema, description: 'A release batch' })
  @IsOptional()
  @IsString()
  @IsBatchId()
  batchId?: string;

  @ApiPropertyOptional({ enum: practices })
  @IsOptional()
  @IsIn(practices)
  practice?: (typeof practices)[number];
}
