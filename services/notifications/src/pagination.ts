// Keyset pagination for the read models: the cursor is the (sort key, id) of the last item of the
// previous page, opaque to clients.
import { DomainError } from '@homeward/decider';

export const maxPageSize = 200;
export const pageSize = (limit: number) => Math.min(Math.max(limit || 50, 1), maxPageSize);

export const encodeCursor = (sortKey: string, id: string) => Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');

export function decodeCursor(cursor: string): [string, string] {
  if (cursor === '') return ['', ''];
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string' && part.length <= 100))
      return value as [string, string];
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
}

/** One page of rows fetched with LIMIT page + 1: the items and the cursor of the next page. */
export function pageOf<Doc>(rows: Array<{ id: string; doc: Doc; sort_key: string }>, limit: number): { items: Doc[]; nextCursor: string } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((row) => row.doc), nextCursor: rows.length > limit && last ? encodeCursor(last.sort_key, last.id) : '' };
}
