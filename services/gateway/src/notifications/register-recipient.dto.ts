import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { channels, maxFollows, recipientRoles } from '@homeward/vocabulary';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  isEmail,
  IsOptional,
  IsString,
  isURL,
  IsUUID,
  MaxLength,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';

// https only; whether the host may be reached (public, not internal) is notifications' rule, checked there.
const webhookUrl = { protocols: ['https'], require_protocol: true, require_tld: false, disallow_auth: true };

/** The address the channel needs: an email address for email, an https URL for a webhook. */
function IsAddressForChannel(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAddressForChannel',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const { channel } = args.object as { channel?: unknown };
          if (typeof value !== 'string') return false;
          if (channel === 'email') return isEmail(value);
          if (channel === 'webhook') return isURL(value, webhookUrl);
          return true; // the channel itself is refused
        },
        defaultMessage(args: ValidationArguments) {
          return (args.object as { channel?: unknown }).channel === 'webhook'
            ? '$property must be an https URL without credentials for the webhook channel (plain http is refused)'
            : '$property must be an email address for the email channel';
        },
      },
    });
}

export class RegisterRecipientBody {
  @ApiProperty({ enum: recipientRoles })
  @IsIn(recipientRoles)
  role!: (typeof recipientRoles)[number];

  @ApiProperty({ enum: channels, description: 'email: a message to the address; webhook: a signed POST to the URL' })
  @IsIn(channels)
  channel!: (typeof channels)[number];

  @ApiProperty({
    maxLength: 2048,
    description:
      'Personal, never logged or returned. For email an email address; for webhook an https URL on a public host ' +
      '(e.g. https://partner.example.org/hooks/homeward; loopback, private, link-local, CGNAT and metadata addresses, ' +
      'and names resolving to them, are refused: 400 recipient.webhook-https-required, recipient.webhook-address-refused)',
    example: 'sister@example.org',
  })
  @IsString()
  @MaxLength(2048)
  @IsAddressForChannel()
  address!: string;

  @ApiProperty({ description: 'Whether the recipient agreed to be told; without it nothing is ever sent to them' })
  @IsBoolean()
  consent!: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: maxFollows,
    items: { format: 'uuid' },
    description: 'Ids of the people this recipient follows',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(maxFollows)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  follows?: string[];
}
