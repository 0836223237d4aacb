import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';

export const defaultPageSize = 50;

/** Query strings arrive as text: "true" and "false" become booleans, anything else fails IsBoolean. */
const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

class PageQuery {
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
