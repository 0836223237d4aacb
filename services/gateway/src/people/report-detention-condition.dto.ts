import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { datePattern, IsDate } from '../http/formats.js';

export const detentionConditionKinds = [
  'solitary-confinement',
  'punishment-cell',
  'medical-care-denied',
  'lawyer-denied',
  'family-visits-denied',
  'ill-treatment',
] as const;

export class ReportDetentionConditionBody {
  @ApiProperty({ enum: detentionConditionKinds })
  @IsIn(detentionConditionKinds)
  kind!: (typeof detentionConditionKinds)[number];

  @ApiPropertyOptional({ format: 'date', pattern: datePattern.source, example: '2024-01-01' })
  @IsOptional()
  @IsString()
  @IsDate()
  periodFrom?: string;

  @ApiPropertyOptional({ format: 'date', pattern: datePattern.source, description: 'Absent while it lasts or when unknown' })
  @IsOptional()
  @IsString()
  @IsDate()
  periodTo?: string;

  @ApiPropertyOptional({ maxLength: 10000, description: 'Personal: the account as given; encrypted at rest, never logged' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  account?: string;
}
