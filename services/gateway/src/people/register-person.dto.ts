import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { batchIdSchema, countryPattern, datePattern, IsBatchId, IsCountryCode, IsDate } from '../http/formats.js';

export class RegisterPersonBody {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Personal: encrypted at rest, never logged' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  fullName!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Other names, 1..200 characters each' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ format: 'date', pattern: datePattern.source, example: '1984-03-02' })
  @IsOptional()
  @IsString()
  @IsDate()
  birthDate?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 5,
    description: 'ISO 3166-1 alpha-2, upper case',
    example: ['BY'],
    items: { pattern: countryPattern.source },
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsString({ each: true })
  @IsCountryCode({ each: true })
  citizenships?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  foreignNational?: boolean = false;

  @ApiPropertyOptional({ maxLength: 100, example: 'journalist' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  occupation?: string;

  @ApiPropertyOptional({ ...batchIdSchema, description: 'The release batch the person is expected in, before the release is recorded' })
  @IsOptional()
  @IsString()
  @IsBatchId()
  batchId?: string;
}

/** The person as intake's messages carry it, with the API's defaults for what is absent. */
export const personDetailsOf = (body: Omit<RegisterPersonBody, 'batchId'>): intake.PersonDetails => ({
  fullName: body.fullName,
  aliases: body.aliases ?? [],
  birthDate: body.birthDate ?? '',
  citizenships: body.citizenships ?? [],
  foreignNational: body.foreignNational ?? false,
  occupation: body.occupation ?? '',
});
