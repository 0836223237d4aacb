import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';

export class PersonFileQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Answer 409 not-yet-consistent unless the file has reached this stream version',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(2 ** 32 - 1)
  minVersion?: number;
}
