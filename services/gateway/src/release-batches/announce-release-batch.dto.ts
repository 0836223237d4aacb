import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { batchIdSchema, datePattern, IsBatchId, IsDate } from '../http/formats.js';

export class AnnounceReleaseBatchBody {
  @ApiProperty({ ...batchIdSchema, example: 'batch-2025-09-11', description: 'Chosen by the caller; releases name it' })
  @IsString()
  @IsBatchId()
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
