import type { notificationsEvents } from '@homeward/contracts';
import type { WebhookTargetPolicy } from './webhook-target.js';

/**
 * `data.address` and `data.webhookSecret` are the plaintext the decider checks; the event store
 * seals them (the recipient's key) before they are written. The secret is drawn by the caller (32
 * random bytes as hex) for a webhook, "" for email. `webhookTargets`: which addresses a webhook
 * may name; public only unless the service runs with the development loopback allowance.
 */
export type RegisterRecipient = {
  type: 'RegisterRecipient';
  data: notificationsEvents.RecipientRegistered;
  webhookTargets?: WebhookTargetPolicy;
};
export type WithdrawConsent = { type: 'WithdrawConsent'; data: notificationsEvents.RecipientConsentWithdrawn };
export type ChangeFollows = { type: 'ChangeFollows'; data: notificationsEvents.RecipientFollowsChanged };
export type EraseRecipient = { type: 'EraseRecipient'; data: notificationsEvents.RecipientErased };
/** The person was erased (intake's PersonForgotten): nobody follows them any more. */
export type UnfollowPerson = { type: 'UnfollowPerson'; data: { recipientId: string; personId: string } };

export type RecipientCommand = RegisterRecipient | WithdrawConsent | ChangeFollows | EraseRecipient | UnfollowPerson;
