import type { notificationsEvents } from '@homeward/contracts';

export type RecipientRegistered = { type: 'RecipientRegistered'; data: notificationsEvents.RecipientRegistered };
export type RecipientConsentWithdrawn = { type: 'RecipientConsentWithdrawn'; data: notificationsEvents.RecipientConsentWithdrawn };
export type RecipientFollowsChanged = { type: 'RecipientFollowsChanged'; data: notificationsEvents.RecipientFollowsChanged };
export type RecipientErased = { type: 'RecipientErased'; data: notificationsEvents.RecipientErased };

export type RecipientEvent = RecipientRegistered | RecipientConsentWithdrawn | RecipientFollowsChanged | RecipientErased;

export const recipientRoles = ['family', 'lawyer', 'partner-organisation', 'caseworker'] as const;
export type RecipientRole = (typeof recipientRoles)[number];
export const channels = ['email', 'webhook'] as const;
export type Channel = (typeof channels)[number];

/** More than this is not a person following people, it is a mailing list. */
export const maxFollows = 1000;
