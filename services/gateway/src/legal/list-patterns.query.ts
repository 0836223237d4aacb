import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../http/page.query.js';
import { batchIdPattern, practices } from './legal.vocabulary.js';

export class ListPatternsQuery extends PageQuery {
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
}
