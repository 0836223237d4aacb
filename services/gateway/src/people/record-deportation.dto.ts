import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { countryPattern, dateTimePattern, IsCountryCode, IsDateTime } from '../http/formats.js';

export class RecordDeportationBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-11T16:30:00Z' })
  @IsString()
  @IsDateTime()
  deportedAt!: string;

  @ApiProperty({ pattern: countryPattern.source, description: 'ISO 3166-1 alpha-2', example: 'BY' })
  @IsString()
  @IsCountryCode()
  fromCountry!: string;

  @ApiProperty({ pattern: countryPattern.source, description: 'ISO 3166-1 alpha-2', example: 'LT' })
  @IsString()
  @IsCountryCode()
  toCountry!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  borderCrossing?: string;

  @ApiProperty({ description: 'Whether the person agreed to leave' })
  @IsBoolean()
  consented!: boolean;
}

export const deportationOf = (body: RecordDeportationBody): intake.Deportation => ({
  deportedAt: body.deportedAt,
  fromCountry: body.fromCountry,
  toCountry: body.toCountry,
  borderCrossing: body.borderCrossing ?? '',
  consented: body.consented,
});
