import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { dateTimePattern, IsDateTime } from '../http/formats.js';

export class IssueTemporaryCertificateBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, example: '2025-09-11T09:00:00Z' })
  @IsString()
  @IsDateTime()
  issuedAt!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'OGiM', description: 'The issuing authority' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: '$property must not be blank' })
  issuer!: string;

  @ApiProperty({ minLength: 1, maxLength: 20, example: 'A4' })
  @IsString()
  @Length(1, 20)
  @Matches(/\S/, { message: '$property must not be blank' })
  format!: string;

  @ApiPropertyOptional({ default: false, description: 'false for the OGiM A4 certificate (true is refused for it with 422)' })
  @IsOptional()
  @IsBoolean()
  validAsIdentityDocument?: boolean = false;
}
