import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { EventStore } from '@homeward/eventsourcing';
import { isUuid, recipientDecider, recipientStreamId } from '@homeward/notifications-domain';
import { encryptFor, PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { uuidv7 } from '@homeward/observability';

@Controller()
export class RegisterRecipientController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('NotificationsService', 'RegisterRecipient')
  async registerRecipient(request: notifications.RegisterRecipientRequest): Promise<common.CommandResult> {
    // Assigned here, not by the caller, so that a retry with the same Idempotency-Key and body is
    // recognised and answered with the id first assigned.
    const recipientId = request.recipientId || uuidv7();
    if (!isUuid(recipientId)) throw new DomainError('validation-failed', 'recipient.id-invalid', 'recipientId must be a UUID');
    const { role, channel, address, consent, follows } = request;
    // The address is personal: encrypted with the recipient's own key before it enters the event,
    // read back only by the delivery worker at send time.
    const result = await this.store.dataSource.transaction(async (tx) => {
      const key = await this.keys.ensure(tx, recipientId);
      if (key.state !== 'active') throw new DomainError('rule-violated', 'recipient.forgotten', 'this recipient has been erased');
      const appended = await this.store.handleIn(
        tx,
        recipientDecider,
        { type: 'RegisterRecipient', data: { recipientId, role, channel, address, consent, follows: follows ?? [] }, sealedAddress: encryptFor(key, 'address', address) },
        { streamId: recipientStreamId(recipientId), subject: recipientId },
        commandContext(request.metadata),
        { command: 'RegisterRecipient', ...requestBody(request) },
      );
      // A repeated request answers with the recipient first registered: this attempt's id needs no key.
      if (appended.repeatedRequest && appended.id !== recipientId) await this.keys.discardUnused(tx, recipientId);
      return appended;
    });
    return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds, repeatedRequest: result.repeatedRequest };
  }
}
