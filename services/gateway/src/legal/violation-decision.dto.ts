import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** Confirming or dismissing a flagged violation: an advisor's reasoning, kept in the case. */
export class ViolationDecisionBody {
  @ApiProperty({ minLength: 10, maxLength: 5000, description: 'Why the advisor confirms or dismisses; kept with the decision' })
  @IsString()
  @Length(10, 5000)
  @Matches(/\S/, { message: '$property must not be blank' })
  reasoning!: string;
}
