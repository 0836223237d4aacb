import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { decisions, type Decision } from '@homeward/vocabulary';
import { datePattern, dateTimePattern, IsDate, IsDateTime } from '../http/formats.js';

/** A field that belongs to one decision only: sent with the other, it is refused, not dropped. */
const OnlyWith = (decision: Decision): PropertyDecorator =>
  ValidateBy({
    name: 'onlyWith',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (args?.object as { decision?: unknown } | undefined)?.decision === decision,
      defaultMessage: () => `$property goes only with the decision "${decision}"`,
    },
  });

export class DecideTravelDocumentApplicationBody {
  @ApiProperty({ enum: decisions })
  @IsIn(decisions)
  decision!: Decision;

  @ApiProperty({
    format: 'date-time',
    pattern: dateTimePattern.source,
    example: '2025-10-20T10:00:00Z',
    description: 'When the document was issued or refused',
  })
  @IsString()
  @IsDateTime()
  decidedAt!: string;

  @ApiPropertyOptional({
    format: 'date',
    pattern: datePattern.source,
    example: '2030-10-19',
    description: 'issued only: the last day the document is valid',
  })
  @IsOptional()
  @OnlyWith('issued')
  @IsString()
  @IsDate()
  validUntil?: string;

  @ApiPropertyOptional({ maxLength: 1000, description: 'refused only: the reason given' })
  @IsOptional()
  @OnlyWith('refused')
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
