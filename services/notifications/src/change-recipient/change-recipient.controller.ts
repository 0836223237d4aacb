// What a recipient may change after registering: withdraw their consent, or the people they follow.
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { EventStore, type HandleOptions } from '@homeward/eventsourcing';
import { isUuid, recipientDecider, recipientStreamId, type RecipientCommand } from '@homeward/notifications-domain';
import { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { refuseErasedFollows } from '../erased.js';

@Controller()
export class ChangeRecipientController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('NotificationsService', 'WithdrawConsent')
  withdrawConsent(request: notifications.WithdrawConsentRequest): Promise<common.CommandResult> {
    const context = commandContext(request.metadata);
    return this.run(
      { type: 'WithdrawConsent', data: { recipientId: request.recipientId, withdrawnAt: context.occurredAt } },
      request,
      context,
    );
  }

  @GrpcMethod('NotificationsService', 'ChangeFollows')
  changeFollows(request: notifications.ChangeFollowsRequest): Promise<common.CommandResult> {
    const follows = request.follows ?? [];
    return this.run(
      { type: 'ChangeFollows', data: { recipientId: request.recipientId, follows } },
      request,
      commandContext(request.metadata),
      {
        check: (tx) => refuseErasedFollows(tx, this.keys, follows),
      },
    );
  }

  private async run(
    command: RecipientCommand,
    request: { metadata?: common.CommandMetadata | undefined; recipientId: string },
    context: ReturnType<typeof commandContext>,
    { check }: Pick<HandleOptions, 'check'> = {},
  ): Promise<common.CommandResult> {
    const { recipientId } = request;
    if (!isUuid(recipientId)) throw new DomainError('validation-failed', 'recipient.id-invalid', 'recipientId must be a UUID');
    const result = await this.store.handle(
      recipientDecider,
      command,
      { streamId: recipientStreamId(recipientId), subject: recipientId },
      context,
      { request: { command: command.type, ...requestBody(request) }, check },
    );
    return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds, repeatedRequest: result.repeatedRequest };
  }
}
