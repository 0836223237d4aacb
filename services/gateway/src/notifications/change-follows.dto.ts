import { ApiProperty } from '@nestjs/swagger';
import { maxFollows } from '@homeward/vocabulary';
import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

export class ChangeFollowsBody {
  @ApiProperty({
    type: [String],
    maxItems: maxFollows,
    items: { format: 'uuid' },
    description: 'The whole new set of people followed; [] follows nobody',
  })
  @IsArray()
  @ArrayMaxSize(maxFollows)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  follows!: string[];
}
