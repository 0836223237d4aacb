import type { notificationsEvents } from '@homeward/contracts';

export type RecipientRegistered = { type: 'RecipientRegistered'; data: notificationsEvents.RecipientRegistered };
export type RecipientConsentWithdrawn = { type: 'RecipientConsentWithdrawn'; data: notificationsEvents.RecipientConsentWithdrawn };
export type RecipientFollowsChanged = { type: 'RecipientFollowsChanged'; data: notificationsEvents.RecipientFollowsChanged };
export type RecipientErased = { type: 'RecipientErased'; data: notificationsEvents.RecipientErased };

export type RecipientEvent = RecipientRegistered | RecipientConsentWithdrawn | RecipientFollowsChanged | RecipientErased;

/** Roles, channels and the most people one recipient follows, as the contract and the gateway know them. */
export { channels, maxFollows, recipientRoles, type Channel, type RecipientRole } from '@homeward/vocabulary';
