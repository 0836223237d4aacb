import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { citationMessage, citationPattern } from './legal.vocabulary.js';

/** An advisor flags a possible violation no rule saw; it waits for a confirmation like any flag. */
export class FlagViolationBody {
  @ApiProperty({ minLength: 1, maxLength: 100, pattern: citationPattern.source, example: 'ICCPR' })
  @IsString()
  @Length(1, 100)
  @Matches(citationPattern, { message: citationMessage })
  instrument!: string;

  @ApiPropertyOptional({
    maxLength: 50,
    pattern: citationPattern.source,
    example: '9(1)',
    description: 'Omit for the instrument as a whole',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Matches(citationPattern, { message: citationMessage })
  provision?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Ids of the events (any context) the flag rests on' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  restsOn?: string[];

  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'Why, in words' })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: '$property must not be blank' })
  summary!: string;
}
