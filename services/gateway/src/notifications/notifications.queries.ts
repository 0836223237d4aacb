import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../http/page.query.js';

export { defaultPageSize } from '../http/page.query.js';

/** Query strings arrive as text: "true" and "false" become booleans, anything else fails IsBoolean. */
const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class ListDeliveriesQuery extends PageQuery {
  @ApiProperty({ format: 'uuid', description: 'The person the notifications are about' })
  @IsUUID('all')
  personId!: string;
}

export class ListWelfareChecksQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only the checks overdue and not cleared' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;
}
