import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { submissionStatuses } from '@homeward/vocabulary';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Where a submission goes next: drafted -> filed -> registered | rejected; registered ->
 * communicated | decided | rejected; communicated -> decided | rejected. Others answer 422.
 */
export class ChangeSubmissionStatusBody {
  @ApiProperty({ enum: submissionStatuses })
  @IsIn(submissionStatuses)
  status!: (typeof submissionStatuses)[number];

  @ApiPropertyOptional({ maxLength: 200, description: "The forum's reference, when it gives one" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
