import { randomBytes } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { EventStore } from '@homeward/eventsourcing';
import { isUuid, recipientDecider, recipientStreamId, type WebhookTargetPolicy } from '@homeward/notifications-domain';
import { uuidv7 } from '@homeward/observability';
import { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { refuseErasedFollows } from '../erased.js';

/** Which addresses a webhook may name here: public only, or loopback too under the development allowance. */
export class WebhookTargets {
  constructor(readonly policy: WebhookTargetPolicy) {}
}

@Controller()
export class RegisterRecipientController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
    @Inject(WebhookTargets) private readonly webhookTargets: WebhookTargets,
  ) {}

  @GrpcMethod('NotificationsService', 'RegisterRecipient')
  async registerRecipient(request: notifications.RegisterRecipientRequest): Promise<notifications.RegisterRecipientResponse> {
    // Assigned here, not by the caller, so that a retry with the same Idempotency-Key and body is
    // recognised and answered with the id first assigned (a repeated request seals nothing, so the
    // id drawn for it gets no key).
    const recipientId = request.recipientId || uuidv7();
    if (!isUuid(recipientId)) throw new DomainError('validation-failed', 'recipient.id-invalid', 'recipientId must be a UUID');
    const { role, channel, address, consent, follows = [] } = request;
    // A webhook recipient's own signing secret, drawn here (the request's fingerprint does not
    // cover it). The decider checks the plaintext address and secret; the store's sealer encrypts
    // both with the recipient's own key before they enter the event. The delivery worker opens
    // them at send time; nothing else ever reads the secret back.
    const webhookSecret = channel === 'webhook' ? randomBytes(32).toString('hex') : '';
    const result = await this.store.handle(
      recipientDecider,
      {
        type: 'RegisterRecipient',
        data: { recipientId, role, channel, address, consent, follows, webhookSecret },
        webhookTargets: this.webhookTargets.policy,
      },
      { streamId: recipientStreamId(recipientId), subject: recipientId },
      commandContext(request.metadata),
      {
        request: { command: 'RegisterRecipient', ...requestBody(request) },
        check: (tx) => refuseErasedFollows(tx, this.keys, follows),
      },
    );
    // Answered once: a repeated request recorded nothing, and the secret it drew was never stored.
    const shown = webhookSecret && !result.repeatedRequest ? { webhookSecret } : {};
    return {
      id: result.id,
      streamVersion: result.streamVersion,
      eventIds: result.eventIds,
      repeatedRequest: result.repeatedRequest,
      ...shown,
    };
  }
}
