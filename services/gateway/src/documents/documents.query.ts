import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { undocumentedStatuses } from '@homeward/vocabulary';
import { toInteger } from '../http/formats.js';
import { PageQuery } from '../http/page.query.js';

export class PersonDocumentsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Answer 409 not-yet-consistent unless the documents have reached this stream version',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(2 ** 32 - 1)
  minVersion?: number;
}

export { defaultPageSize } from '../http/page.query.js';

export class ListUndocumentedQuery extends PageQuery {
  @ApiPropertyOptional({ enum: undocumentedStatuses, description: 'One status only; both when absent' })
  @IsOptional()
  @IsIn(undocumentedStatuses)
  status?: (typeof undocumentedStatuses)[number];
}
