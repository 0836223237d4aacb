import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { authorities, type Authority } from '@homeward/vocabulary';
import { dateTimePattern, IsDateTime } from '../http/formats.js';

export class RecordPassportConfiscationBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-11T06:00:00Z' })
  @IsString()
  @IsDateTime()
  confiscatedAt!: string;

  @ApiProperty({ enum: authorities, description: 'Who took the passport' })
  @IsIn(authorities)
  authority!: Authority;

  @ApiPropertyOptional({ maxLength: 200, description: 'Where, e.g. a detention centre or a border crossing' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  place?: string;
}
