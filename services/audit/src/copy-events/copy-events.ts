// The consumer's handler: every event of every context, copied verbatim with its Kafka position,
// and its place in its stream's hash chain checked against the last event seen of that stream.
// An event that does not follow is stored all the same, and a chain_breaks row names it.
import { hashEvent } from '@homeward/eventsourcing';
import type { ConsumedEvent } from '@homeward/messaging';
import type { EntityManager } from 'typeorm';

export type BreakReason = 'hash-mismatch' | 'broken-link' | 'version-gap';

/** Why `event` does not follow the stream's head, or null when it does. */
export function chainBreakOf(event: ConsumedEvent, head: { lastVersion: number; lastHash: string } | undefined): BreakReason | null {
  const expectedVersion = (head?.lastVersion ?? 0) + 1;
  if (event.streamVersion !== expectedVersion) return 'version-gap';
  if (event.prevHash !== (head?.lastHash ?? '')) return 'broken-link';
  const { position: _position, hash, ...unhashed } = event;
  if (hashEvent(unhashed) !== hash) return 'hash-mismatch';
  return null;
}

export async function copyEvents(tx: EntityManager, events: ConsumedEvent[]): Promise<void> {
  for (const event of events) {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO audit_events (event_id, stream_id, stream_version, type, schema_version, data, occurred_at, recorded_at, recorded_ts,
         actor, correlation_id, causation_id, subject, source, prev_hash, hash, topic, partition, kafka_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text, ($8::text)::timestamptz, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (event_id) DO NOTHING RETURNING id`,
      [
        event.eventId,
        event.streamId,
        event.streamVersion,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        event.occurredAt,
        event.recordedAt,
        event.actor,
        event.correlationId,
        event.causationId,
        event.subject,
        event.source,
        event.prevHash,
        event.hash,
        event.position.topic,
        event.position.partition,
        event.position.offset,
      ],
    );
    // Already copied (a republished event): stored once, judged once.
    if (inserted.length === 0) continue;
    const [head]: Array<{ last_version: number; last_hash: string }> = await tx.query(
      `SELECT last_version, last_hash FROM stream_heads WHERE stream_id = $1 FOR UPDATE`,
      [event.streamId],
    );
    const reason = chainBreakOf(event, head && { lastVersion: head.last_version, lastHash: head.last_hash });
    if (reason) {
      await tx.query(`INSERT INTO chain_breaks (stream_id, event_id, stream_version, reason) VALUES ($1, $2, $3, $4)`, [
        event.streamId,
        event.eventId,
        event.streamVersion,
        reason,
      ]);
    }
    await tx.query(
      `INSERT INTO stream_heads (stream_id, last_version, last_hash) VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET last_version = EXCLUDED.last_version, last_hash = EXCLUDED.last_hash
       WHERE stream_heads.last_version < EXCLUDED.last_version`,
      [event.streamId, event.streamVersion, event.hash],
    );
  }
}
