import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { authorities, type Authority } from '@homeward/vocabulary';
import { dateTimePattern, IsDateTime } from '../http/formats.js';

export class RecordPassportDestructionBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-11T07:00:00Z' })
  @IsString()
  @IsDateTime()
  destroyedAt!: string;

  @ApiProperty({ enum: authorities, description: 'Who destroyed the passport' })
  @IsIn(authorities)
  authority!: Authority;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Personal: what happened, as told; never logged' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  account?: string;
}
