import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { travelDocumentTypes, type TravelDocumentType } from '@homeward/vocabulary';
import { countryPattern, dateTimePattern, IsCountryCode, IsDateTime } from '../http/formats.js';

export class ApplyForTravelDocumentBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-20T10:00:00Z' })
  @IsString()
  @IsDateTime()
  appliedAt!: string;

  @ApiProperty({ pattern: countryPattern.source, description: 'ISO 3166-1 alpha-2 of the issuing state', example: 'LT' })
  @IsString()
  @IsCountryCode()
  country!: string;

  @ApiProperty({ enum: travelDocumentTypes })
  @IsIn(travelDocumentTypes)
  documentType!: TravelDocumentType;
}
