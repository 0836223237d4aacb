import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { forums, initialSubmissionStatuses } from '@homeward/vocabulary';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** A submission to a forum about confirmed violations of the case, drafted or already sent. */
export class FileSubmissionBody {
  @ApiProperty({ enum: forums })
  @IsIn(forums)
  forum!: (typeof forums)[number];

  @ApiProperty({ type: [String], minItems: 1, maxItems: 50, description: 'Confirmed violations of the case it is about' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  violationIds!: string[];

  @ApiPropertyOptional({ enum: initialSubmissionStatuses, default: 'drafted', description: 'filed when it has already been sent' })
  @IsOptional()
  @IsIn(initialSubmissionStatuses)
  status?: (typeof initialSubmissionStatuses)[number];

  @ApiPropertyOptional({ maxLength: 200, description: "The forum's reference, if it has one already" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}
