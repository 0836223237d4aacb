import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { dateTimePattern } from '../http/formats.js';
import { PageQuery } from '../http/page.query.js';

const timestampMessage = { message: '$property must be an RFC 3339 date-time with a time zone' };

/** `?personId=&streamId=&type=&actor=&from=&to=` of the search and the export. */
export class AuditEventFilterQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Events about this person (their subject)' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;

  @ApiPropertyOptional({ example: 'person-01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ example: 'PrisonerReleased' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ description: 'Subject of the token that issued the command, or rule:<name>' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded at or after' })
  @IsOptional()
  @Matches(dateTimePattern, timestampMessage)
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded before' })
  @IsOptional()
  @Matches(dateTimePattern, timestampMessage)
  to?: string;
}

/** The filter with `?limit=&cursor=`. */
export class SearchAuditEventsQuery extends IntersectionType(AuditEventFilterQuery, PageQuery) {}

export const auditedSources = ['intake', 'identity-documents', 'legal', 'notifications'] as const;

/** `?streamId=` verifies one stream; `?source=` every stream of a context. Exactly one. */
export class VerifyQuery {
  @ApiPropertyOptional({ example: 'person-01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ enum: auditedSources })
  @IsOptional()
  @IsIn(auditedSources)
  source?: string;
}

export class AccessLogQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Matches(dateTimePattern, timestampMessage)
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Matches(dateTimePattern, timestampMessage)
  to?: string;
}
