import { ApiProperty } from '@nestjs/swagger';
import { reasoningLength } from '@homeward/vocabulary';
import { IsString, Length, Matches } from 'class-validator';

/** Confirming or dismissing a flagged violation: an advisor's reasoning, kept in the case. */
export class ViolationDecisionBody {
  @ApiProperty({
    minLength: reasoningLength.min,
    maxLength: reasoningLength.max,
    description: 'Why the advisor confirms or dismisses; kept with the decision',
  })
  @IsString()
  @Length(reasoningLength.min, reasoningLength.max)
  @Matches(/\S/, { message: '$property must not be blank' })
  reasoning!: string;
}
