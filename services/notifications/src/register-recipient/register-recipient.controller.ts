import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { EventStore } from '@homeward/eventsourcing';
import { isUuid, recipientDecider, recipientStreamId } from '@homeward/notifications-domain';
import { uuidv7 } from '@homeward/observability';
import { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { refuseErasedFollows } from '../erased.js';

@Controller()
export class RegisterRecipientController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('NotificationsService', 'RegisterRecipient')
  async registerRecipient(request: notifications.RegisterRecipientRequest): Promise<common.CommandResult> {
    // Assigned here, not by the caller, so that a retry with the same Idempotency-Key and body is
    // recognised and answered with the id first assigned (a repeated request seals nothing, so the
    // id drawn for it gets no key).
    const recipientId = request.recipientId || uuidv7();
    if (!isUuid(recipientId)) throw new DomainError('validation-failed', 'recipient.id-invalid', 'recipientId must be a UUID');
    const { role, channel, address, consent, follows = [] } = request;
    await refuseErasedFollows(this.store.dataSource, this.keys, follows);
    // The decider checks the plaintext address; the store's sealer encrypts it with the
    // recipient's own key before it enters the event. The delivery worker reads it at send time.
    const result = await this.store.handle(
      recipientDecider,
      { type: 'RegisterRecipient', data: { recipientId, role, channel, address, consent, follows } },
      { streamId: recipientStreamId(recipientId), subject: recipientId },
      commandContext(request.metadata),
      { command: 'RegisterRecipient', ...requestBody(request) },
    );
    return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds, repeatedRequest: result.repeatedRequest };
  }
}
