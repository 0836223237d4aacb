import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../http/formats.js';
import { PageQuery } from '../http/page.query.js';
import { validationFailed } from '../problems/problem.js';
import { AuditEventFilterQuery } from './audit.queries.js';

/** A tree size in a query: digits, 0 for "the latest checkpoint's". */
const TreeSize = (description: string) =>
  applyDecorators(ApiPropertyOptional({ type: 'integer', minimum: 0, description }), IsOptional(), Transform(toInteger), IsInt(), Min(0));

/** `?eventId=|accessId=&treeSize=`: exactly one of the ids names the leaf. */
export class InclusionProofQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'An event copied by audit' })
  @IsOptional()
  @IsUUID('all')
  eventId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An access-log entry' })
  @IsOptional()
  @IsUUID('all')
  accessId?: string;

  @TreeSize('A checkpointed tree size; 0 or absent: the latest checkpoint')
  treeSize?: number;
}

/** `?from=&to=`: two checkpointed sizes, from ≤ to. */
export class ConsistencyProofQuery {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The older tree size' })
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  from!: number;

  @TreeSize('The newer tree size, at least `from`; 0 or absent: the latest checkpoint')
  to?: number;
}

/**
 * Which leaves a bundle holds: a person's (their events and the access entries naming them), a
 * stream's or all, at one checkpointed size.
 */
export class LeafSelectionQuery extends PickType(AuditEventFilterQuery, ['personId', 'streamId'] as const) {
  @ApiPropertyOptional({ enum: ['true'], description: 'Every leaf of the log' })
  @IsOptional()
  @IsIn(['true'])
  all?: string;

  @TreeSize('A checkpointed tree size; 0 or absent: the latest checkpoint')
  treeSize?: number;
}

export const maxLeavesPage = 1000;

/** The selection with `?limit=&cursor=`; pages are larger than elsewhere, since a bundle reads them all. */
export class ListLeavesQuery extends IntersectionType(LeafSelectionQuery, PickType(PageQuery, ['cursor'] as const)) {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: maxLeavesPage, default: 100 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(maxLeavesPage)
  limit?: number;
}

/** C2SP signed-note signature line: an em dash, a space, the key name, a space, base64. */
const signatureLinePattern = /^\u2014 [^\s+]{1,200} [A-Za-z0-9+/]{4,}={0,2}\n?$/u;

export class CosignatureBody {
  @ApiProperty({
    example: '\u2014 witness.example/w1 AAAAAAAAAABnAAAA…\n',
    maxLength: 1024,
    description:
      'One C2SP tlog-cosignature/v1 signature line: "— <witness key name> <base64(key id || timestamp || signature)>", ' +
      'a final newline optional',
  })
  @IsString()
  @MaxLength(1024)
  @Matches(signatureLinePattern, { message: '$property must be one signature line: an em dash, a space, the key name, a space and base64' })
  signatureLine!: string;
}

/**
 * A tree size in the path: a positive integer a JavaScript number holds exactly. Read from the path's
 * text (the handler takes a string), since the global pipe would turn `1e3` into a number first.
 */
export function treeSizeOf(text: string): number {
  const size = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(size))
    throw validationFailed([{ field: 'treeSize', rule: 'isPositiveInt', message: 'treeSize must be a positive integer' }]);
  return size;
}
