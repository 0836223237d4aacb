import type { notificationsEvents } from '@homeward/contracts';

/** `data.address` is the plaintext the decider checks; the event store seals it (the recipient's key) before it is written. */
export type RegisterRecipient = { type: 'RegisterRecipient'; data: notificationsEvents.RecipientRegistered };
export type WithdrawConsent = { type: 'WithdrawConsent'; data: notificationsEvents.RecipientConsentWithdrawn };
export type ChangeFollows = { type: 'ChangeFollows'; data: notificationsEvents.RecipientFollowsChanged };
export type EraseRecipient = { type: 'EraseRecipient'; data: notificationsEvents.RecipientErased };
/** The person was erased (intake's PersonForgotten): nobody follows them any more. */
export type UnfollowPerson = { type: 'UnfollowPerson'; data: { recipientId: string; personId: string } };

export type RecipientCommand = RegisterRecipient | WithdrawConsent | ChangeFollows | EraseRecipient | UnfollowPerson;
