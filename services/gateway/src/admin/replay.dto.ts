import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { adminTargets } from '../grpc/grpc-clients.js';

export class ReplayBody {
  @ApiProperty({ enum: adminTargets, description: 'Whose own events are re-published to its topic' })
  @IsIn(adminTargets)
  service!: (typeof adminTargets)[number];

  @ApiPropertyOptional({ description: 'A stream to re-publish whole; or give from/to' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded at or after (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded before (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
