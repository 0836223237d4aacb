// Erasure of a recipient (crypto-shredding): RecipientErased, the recipient's key destroyed, what
// is queued to them cancelled and the fingerprints of their requests scrubbed, in ONE transaction.
// The address stays in RecipientRegistered (the event store, the outbox's Kafka copy, audit) as
// ciphertext nobody can open any more; the read model keeps no trace of it.
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { EventStore } from '@homeward/eventsourcing';
import { isUuid, recipientDecider, recipientStreamId } from '@homeward/notifications-domain';
import { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { cancelPendingDeliveries, followUpContext } from '../cancel-notifications/cancel-notifications.js';

@Controller()
export class EraseRecipientController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('NotificationsService', 'EraseRecipient')
  async eraseRecipient(request: notifications.EraseRecipientRequest): Promise<common.CommandResult> {
    const { recipientId } = request;
    if (!isUuid(recipientId)) throw new DomainError('validation-failed', 'recipient.id-invalid', 'recipientId must be a UUID');
    const context = commandContext(request.metadata);
    const result = await this.store.handle(
      recipientDecider,
      { type: 'EraseRecipient', data: { recipientId, erasedAt: context.occurredAt } },
      { streamId: recipientStreamId(recipientId), subject: recipientId },
      context,
      {
        request: { command: 'EraseRecipient', ...requestBody(request) },
        alongside: async (tx, erased) => {
          // A recipient erased already (or a repeated request) has had all of this done with its event.
          if (erased.repeatedRequest || erased.eventIds.length === 0) return;
          await this.keys.destroy(tx, recipientId);
          await cancelPendingDeliveries(tx, this.store, { recipientId }, 'recipient-erased', followUpContext(context, erased.eventIds[0]!));
          // Keyed fingerprints of the recipient's requests (their address, whom they follow): none is
          // kept to check a guess against. A retry of one of them answers idempotency-key-reused.
          await this.store.forgetRequests(tx, recipientId, context.idempotencyKey);
        },
      },
    );
    return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds, repeatedRequest: result.repeatedRequest };
  }
}
