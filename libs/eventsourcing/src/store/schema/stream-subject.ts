// The subject of a stream: what its first event was appended about (a case's person, say). Every
// event of a stream is appended about the same subject.
import type { EntityManager } from 'typeorm';

/** Null for a stream that has no events. */
export async function streamSubject(tx: EntityManager, streamId: string): Promise<string | null> {
  const [row]: Array<{ subject: string }> = await tx.query(
    `SELECT metadata->>'subject' AS subject FROM events WHERE stream_id = $1 AND stream_version = 1`,
    [streamId],
  );
  return row?.subject ?? null;
}
