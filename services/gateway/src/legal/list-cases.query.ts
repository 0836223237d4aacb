import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../http/page.query.js';
import { citationMessage, citationPattern } from './legal.vocabulary.js';

export { defaultPageSize } from '../http/page.query.js';

export class ListCasesQuery extends PageQuery {
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
}
