// Isolates a poison message: a chunk that fails is applied again one message at a time, each with
// bounded retries; a message that keeps failing goes to `<topic>.dlq.<group>` (and the
// dead_letters table, its checkpoint moved past it) and the consumer moves on. A message that
// cannot even be decoded goes there at once. An operator's retry re-applies a dead letter once.
import { decodeEventValue, deadLetterTopicOf, sourceOf, type ConsumedEvent, type Publisher } from '@homeward/messaging';
import { loggableError } from '@homeward/observability';
import { applyInTransaction, PoisonMessage } from './apply-in-transaction.js';
import { checkpointKey, lockCheckpoints, saveCheckpoints } from './checkpoints.js';
import type { Decoded, Part, RunnerContext } from './consumer-options.js';

export interface IsolationContext extends RunnerContext {
  /** The publisher of the dead-letter topics, once the runner has started. */
  dlqPublisher(): Publisher;
}

/** Applies a chunk on its own; if it fails, each of its messages on its own (a lone message that fails throws). */
export async function applyIsolating(context: IsolationContext, part: Part): Promise<void> {
  const { topic, partition, chunk } = part;
  try {
    await applyInTransaction(context, [part]);
    return;
  } catch (error) {
    if (chunk.length === 1 && !(error instanceof PoisonMessage)) throw error;
  }
  // Isolate the culprit: one message at a time, each with bounded retries.
  for (const item of chunk) await applyWithRetries(context, topic, partition, item);
}

async function applyWithRetries(context: IsolationContext, topic: string, partition: number, item: Decoded): Promise<void> {
  const maxAttempts = context.options.maxAttempts ?? 3;
  let lastError: unknown = item.poison;
  for (let attempt = 1; !item.poison && attempt <= maxAttempts; attempt += 1) {
    try {
      await applyInTransaction(context, [{ topic, partition, chunk: [item] }]);
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  await deadLetter(context, topic, partition, item, lastError, item.poison ? 1 : maxAttempts);
}

async function deadLetter(
  context: IsolationContext,
  topic: string,
  partition: number,
  item: Decoded,
  error: unknown,
  attempts: number,
): Promise<void> {
  const { options, groupId } = context;
  const reason = describe(error);
  const { message } = item;
  const headers = Object.fromEntries(
    Object.entries(message.headers).map(([key, value]) => [key, Array.isArray(value) ? value.map(String) : String(value ?? '')]),
  );
  await context.dlqPublisher().publish(deadLetterTopicOf(topic, groupId), [
    {
      key: message.key,
      value: message.value,
      headers: {
        ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
        dlq_original_topic: topic,
        dlq_original_partition: String(partition),
        dlq_original_offset: message.offset,
        dlq_group: groupId,
        dlq_error: reason,
        dlq_attempts: String(attempts),
      },
    },
  ]);
  await options.dataSource.transaction(async (tx) => {
    const checkpoint = (await lockCheckpoints(tx, groupId, [{ topic, partition }])).get(checkpointKey(topic, partition))!;
    if (BigInt(message.offset) <= checkpoint) return;
    await tx.query(
      `INSERT INTO dead_letters (group_id, topic, partition, "offset", event_id, event_type, error, attempts, key, value, headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
      [
        groupId,
        topic,
        partition,
        message.offset,
        item.event?.eventId ?? null,
        item.event?.type ?? null,
        reason,
        attempts,
        message.key,
        message.value,
        JSON.stringify(headers),
      ],
    );
    await saveCheckpoints(tx, groupId, [{ topic, partition, offset: message.offset }]);
  });
  context.stats.deadLettered += 1;
  options.logger?.warn(
    { group: groupId, topic, partition, offset: message.offset, eventType: item.event?.type, reason },
    'message dead-lettered',
  );
}

/**
 * Re-applies one dead-lettered message of this group through the handler and the inbox, in the
 * transaction that marks it retried: applied once, whatever the number of retries. A message
 * that still fails leaves the row as it was and the error goes to the caller.
 */
export async function retryDeadLetter(
  context: RunnerContext,
  id: string,
): Promise<'applied' | 'duplicate' | 'already-retried' | 'not-found'> {
  const { options, groupId } = context;
  return options.dataSource.transaction(async (tx) => {
    const [row]: Array<{
      topic: string;
      partition: number;
      offset: string;
      value: Buffer;
      headers: Record<string, string>;
      retried_at: string | null;
    }> = await tx.query(
      `SELECT topic, partition, "offset", value, headers, retried_at FROM dead_letters WHERE id = $1 AND group_id = $2 FOR UPDATE`,
      [id, groupId],
    );
    if (!row) return 'not-found';
    if (row.retried_at !== null) return 'already-retried';
    const decoded = decodeEventValue(sourceOf(row.headers), row.value);
    const event: ConsumedEvent = { ...decoded, position: { topic: row.topic, partition: row.partition, offset: String(row.offset) } };
    const inserted: unknown[] = await tx.query(
      `INSERT INTO inbox (group_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
      [groupId, event.eventId],
    );
    if (inserted.length > 0) await options.handle(tx, [event]);
    await tx.query(`UPDATE dead_letters SET retried_at = now() WHERE id = $1`, [id]);
    return inserted.length > 0 ? 'applied' : 'duplicate';
  });
}

/** A reason safe to store and log: the error's name and code, and our own messages (never data). */
function describe(error: unknown): string {
  const { type, code } = loggableError(error);
  const own =
    error instanceof Error && ['PoisonMessage', 'UnknownEventError', 'DomainError'].includes(error.name) ? `: ${error.message}` : '';
  return `${type}${code !== undefined ? ` (${code})` : ''}${own}`.slice(0, 500);
}
