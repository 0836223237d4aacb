import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { reporters } from '@homeward/vocabulary';
import { dateTimePattern, IsDateTime } from '../http/formats.js';

/** Who reported it, as a role: never a name. */
const reportedBy = ApiProperty({ enum: reporters, description: 'Who reported it, as a role (never a name)' });

export class RecordContactLostBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, description: 'When the person was last heard from' })
  @IsString()
  @IsDateTime()
  lastContactAt!: string;

  @reportedBy
  @IsIn(reporters)
  reportedBy!: (typeof reporters)[number];
}

export class RecordContactReestablishedBody {
  @ApiProperty({ format: 'date-time', pattern: dateTimePattern.source, description: 'When the person was heard from again' })
  @IsString()
  @IsDateTime()
  contactAt!: string;

  @reportedBy
  @IsIn(reporters)
  reportedBy!: (typeof reporters)[number];
}
