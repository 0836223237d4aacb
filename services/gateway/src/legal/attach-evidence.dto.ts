import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { evidenceKinds } from '@homeward/vocabulary';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

export const sha256Pattern = /^[0-9a-fA-F]{64}$/;

/** Evidence is recorded by its digest; the file itself is kept outside Homeward. */
export class AttachEvidenceBody {
  @ApiProperty({ enum: evidenceKinds })
  @IsIn(evidenceKinds)
  kind!: (typeof evidenceKinds)[number];

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'family', description: 'Where it comes from' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  source!: string;

  @ApiProperty({ pattern: sha256Pattern.source, description: 'SHA-256 of the file: 64 hex characters (stored in lower case)' })
  @IsString()
  @Matches(sha256Pattern, { message: '$property must be 64 hexadecimal characters' })
  sha256!: string;

  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: '$property must not be blank' })
  description!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'Violations of the case it supports' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  violationIds?: string[];
}
