/** Every role a token may carry (claim `roles`). A role not listed here grants nothing. */
export const roles = ['intake', 'documents', 'legal', 'notifications', 'operator', 'auditor', 'admin'] as const;

export type Role = (typeof roles)[number];

const known: ReadonlySet<string> = new Set(roles);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && known.has(value);
