/**
 * Every role a token may carry (claim `roles`). A role not listed here grants nothing. `witness` is a
 * partner organisation's witness of the transparency log: it reads checkpoints and consistency
 * proofs and posts its cosignatures, nothing else (no leaf, no person).
 */
export const roles = ['intake', 'documents', 'legal', 'notifications', 'operator', 'auditor', 'admin', 'witness'] as const;

export type Role = (typeof roles)[number];

const known: ReadonlySet<string> = new Set(roles);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && known.has(value);
