import type { notificationsEvents } from '@homeward/contracts';

/**
 * `data.address` is the plaintext the decider checks; `sealedAddress` is the same address encrypted
 * with the recipient's key by the service, and the only form the event carries.
 */
export type RegisterRecipient = { type: 'RegisterRecipient'; data: notificationsEvents.RecipientRegistered; sealedAddress: string };
export type WithdrawConsent = { type: 'WithdrawConsent'; data: notificationsEvents.RecipientConsentWithdrawn };
export type ChangeFollows = { type: 'ChangeFollows'; data: notificationsEvents.RecipientFollowsChanged };

export type RecipientCommand = RegisterRecipient | WithdrawConsent | ChangeFollows;
