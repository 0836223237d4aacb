import type { notificationsEvents } from '@homeward/contracts';

export type RegisterRecipient = { type: 'RegisterRecipient'; data: notificationsEvents.RecipientRegistered };
export type WithdrawConsent = { type: 'WithdrawConsent'; data: notificationsEvents.RecipientConsentWithdrawn };
export type ChangeFollows = { type: 'ChangeFollows'; data: notificationsEvents.RecipientFollowsChanged };

export type RecipientCommand = RegisterRecipient | WithdrawConsent | ChangeFollows;
