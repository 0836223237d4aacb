// Keyset pagination by the audit row id (a bigserial: the order rows were stored, stable under
// new arrivals); the cursor is the last id of the previous page, opaque to clients.
import { DomainError } from '@homeward/decider';

export const maxPageSize = 500;
export const pageSize = (limit: number) => Math.min(Math.max(limit || 50, 1), maxPageSize);

export const encodeCursor = (id: string) => Buffer.from(JSON.stringify({ after: id })).toString('base64url');

export function decodeCursor(cursor: string): string {
  if (cursor === '') return '0';
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const after = (value as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && /^\d{1,19}$/.test(after)) return after;
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
}

/** One page of rows fetched with LIMIT page + 1: the rows and the cursor of the next page. */
export function pageOf<Row extends { id: string }>(rows: Row[], limit: number): { rows: Row[]; nextCursor: string } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(String(last.id)) : '' };
}
