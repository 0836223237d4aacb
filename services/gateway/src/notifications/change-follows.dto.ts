import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

export class ChangeFollowsBody {
  @ApiProperty({ type: [String], maxItems: 1000, items: { format: 'uuid' }, description: 'The whole new set of people followed; [] follows nobody' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  follows!: string[];
}
