// The notifications context's words (see proto/homeward/notifications/v1).

/** Who a recipient is to the people they follow. */
export const recipientRoles = ['family', 'lawyer', 'partner-organisation', 'caseworker'] as const;
export type RecipientRole = (typeof recipientRoles)[number];

/** How a recipient is told. */
export const channels = ['email', 'webhook'] as const;
export type Channel = (typeof channels)[number];

/** More than this is not a person following people, it is a mailing list. */
export const maxFollows = 1000;
