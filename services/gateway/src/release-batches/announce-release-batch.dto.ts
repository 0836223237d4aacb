import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { datePattern, IsDate } from '../http/formats.js';
import { batchIdPattern } from '../people/record-release.dto.js';

export class AnnounceReleaseBatchBody {
  @ApiProperty({ maxLength: 64, pattern: batchIdPattern.source, example: 'batch-2025-09-11', description: 'Chosen by the caller; releases name it' })
  @IsString()
  @MaxLength(64)
  @Matches(batchIdPattern, { message: '$property may hold only letters, digits, dot, underscore and hyphen' })
  batchId!: string;

  @ApiProperty({ format: 'date', pattern: datePattern.source, example: '2025-09-11' })
  @IsString()
  @IsDate()
  date!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100000, description: 'How many people the announcement names' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  announcedCount!: number;

  @ApiPropertyOptional({ maxLength: 200, example: 'United States' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  brokeredBy?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Conditions of the release as announced' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  conditions?: string;
}
