import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { dateTimePattern, IsDateTime } from '../http/formats.js';

export class ReportRearrestBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-25T12:00:00Z' })
  @IsString()
  @IsDateTime()
  reportedAt!: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Where, as far as known: a town or a border crossing, not an address' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  place?: string;
}
