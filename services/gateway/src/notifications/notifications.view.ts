import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { notifications } from '@homeward/contracts';
import { CommandResultView } from '../openapi/command-result.view.js';

/** How a receiver checks a webhook, as the 201 answer documents it. */
export const webhookVerification =
  'Each webhook is a POST with headers x-homeward-notification-id, x-homeward-delivery-id (one per attempt) and ' +
  'x-homeward-signature: t=<Unix seconds>,v1=<hex HMAC-SHA256 keyed with webhookSecret over "<t>.<delivery id>.<raw body>">. ' +
  'A receiver recomputes the HMAC over the raw body, compares it in constant time, refuses a t more than 5 minutes from its clock, ' +
  'remembers the delivery ids it accepted for those 5 minutes and refuses one seen again, and drops a notification id it has ' +
  'already handled (a retry after a lost answer repeats the notification under a new delivery id). Any 2xx is success; ' +
  'a redirect is a failure, never followed.';

export class RegisterRecipientResultView extends CommandResultView {
  @ApiPropertyOptional({
    description:
      'Webhook recipients only, in the 201 answer only: the secret of 32 random bytes (64 hex digits) that signs what they are sent. ' +
      'Shown this once and never again (not in a repeated answer, not in any read): store it now. Lost, ' +
      'the recipient is erased and registered again. ' +
      webhookVerification,
    example: '9f2c…64 hex digits',
  })
  webhookSecret?: string;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty({ format: 'uuid' }) recipientId!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel!: string;
  @ApiProperty({ example: 'contact-lost' }) kind!: string;
  @ApiProperty() urgent!: boolean;
  @ApiProperty({
    enum: ['queued', 'delivered', 'failed', 'cancelled'],
    description:
      'queued also while a retry is pending; failed once no attempt is left; cancelled: never sent, its recipient or the person was erased',
  })
  status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) queuedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'webhook.http-503', description: 'What failed last; never personal data' })
  lastErrorCode!: string | null;
  @ApiProperty({ format: 'uuid', description: 'The event that called for this notification' }) causeEventId!: string;
}

export class DeliveriesPage {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

export class WelfareCheckView {
  @ApiProperty({ format: 'uuid' }) checkId!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ format: 'uuid' }) causeEventId!: string;
  @ApiProperty({ enum: ['return-attempted', 'contact-lost'] }) causeKind!: string;
  @ApiProperty({
    enum: ['scheduled', 'overdue', 'cleared', 'cancelled'],
    description: 'cancelled: the person was erased; nobody is told or escalated to',
  })
  status!: string;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) overdueAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) clearedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt!: string | null;
  @ApiProperty({
    enum: ['none', 'escalated', 'unconfigured'],
    description:
      'Whether the overdue check was escalated to the on-duty caseworkers because nobody follows the person or nobody could be reached; ' +
      'unconfigured: it had to be, and no on-duty caseworker is configured, so nobody was told',
  })
  escalation!: 'none' | 'escalated' | 'unconfigured';
  @ApiProperty({ type: String, enum: ['no-followers', 'deliveries-failed'], nullable: true }) escalationReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) escalatedAt!: string | null;
  @ApiProperty({ type: [String], items: { format: 'uuid' }, description: 'The notifications queued to the on-duty caseworkers' })
  escalationNotificationIds!: string[];
}

export class WelfareChecksPage {
  @ApiProperty({ type: [WelfareCheckView] }) items!: WelfareCheckView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

export const deliveryView = (item: notifications.Delivery): DeliveryView => ({
  notificationId: item.notificationId,
  recipientId: item.recipientId,
  personId: item.personId,
  channel: item.channel,
  kind: item.kind,
  urgent: item.urgent,
  status: item.status,
  attempts: item.attempts,
  queuedAt: item.queuedAt,
  deliveredAt: item.deliveredAt || null,
  lastAttemptAt: item.lastAttemptAt || null,
  nextAttemptAt: item.nextAttemptAt || null,
  lastErrorCode: item.lastErrorCode || null,
  causeEventId: item.causeEventId,
});

export const welfareCheckView = (item: notifications.WelfareCheck): WelfareCheckView => ({
  checkId: item.checkId,
  personId: item.personId,
  causeEventId: item.causeEventId,
  causeKind: item.causeKind,
  status: item.status,
  scheduledAt: item.scheduledAt,
  dueAt: item.dueAt,
  overdueAt: item.overdueAt || null,
  clearedAt: item.clearedAt || null,
  cancelledAt: item.cancelledAt || null,
  escalation: item.escalation?.outcome === 'unconfigured' ? 'unconfigured' : item.escalation ? 'escalated' : 'none',
  escalationReason: item.escalation?.reason || null,
  escalatedAt: item.escalation?.escalatedAt || null,
  escalationNotificationIds: item.escalation?.notificationIds ?? [],
});
