// Applies chunks of one or more partitions (one chunk per partition) in ONE transaction: skip what
// the stored checkpoint already covers, skip event ids already in the group's inbox (a relay may
// republish after a crash), hand the rest to the handler, and move the checkpoints. Only one of a
// runner's transactions is open at a time, so what it writes commits in the order it applied it
// (the audit log's id cursor relies on that).
import type { ConsumedEvent } from '@homeward/messaging';
import type { EntityManager } from 'typeorm';
import { prepared, runPrepared } from '../prepared.js';
import { advanceCheckpoints, checkpointKey, lockCheckpoints, saveCheckpoints, type CheckpointRow } from './checkpoints.js';
import type { Decoded, Part, RunnerContext } from './consumer-options.js';

/** A chunk held a message that could not be decoded: it has to be isolated. */
export class PoisonMessage extends Error {
  override name = 'PoisonMessage';
}

const inboxStatement = prepared(
  'inbox',
  `INSERT INTO inbox (group_id, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
);

export async function applyInTransaction(context: RunnerContext, parts: Part[]): Promise<void> {
  const { options, groupId, stats } = context;
  const { dataSource } = options;
  const reactsTo = (event: ConsumedEvent) => options.reactsTo?.(event) ?? true;
  if (parts.every((part) => part.chunk.every((item) => item.event && !reactsTo(item.event)))) {
    // Nothing to apply: the checkpoints move (never back) and that is all.
    const moved = parts.map(({ topic, partition, chunk }) => ({ topic, partition, offset: chunk[chunk.length - 1]!.message.offset }));
    await advanceCheckpoints(dataSource, groupId, moved);
    stats.passedOver += parts.reduce((sum, part) => sum + part.chunk.length, 0);
    return;
  }
  await dataSource.transaction(async (tx) => {
    const checkpoints = await lockCheckpoints(tx, groupId, parts);
    const moved: CheckpointRow[] = [];
    const fresh: Decoded[] = [];
    for (const { topic, partition, chunk } of parts) {
      const checkpoint = checkpoints.get(checkpointKey(topic, partition))!;
      const after = chunk.filter((item) => BigInt(item.message.offset) > checkpoint);
      if (after.length === 0) continue;
      fresh.push(...after);
      moved.push({ topic, partition, offset: after[after.length - 1]!.message.offset });
    }
    if (fresh.length === 0) return;
    if (fresh.some((item) => item.poison)) throw new PoisonMessage('undecodable message in batch');
    const events = fresh.map((item) => item.event!).filter(reactsTo);
    if (events.length > 0) {
      const unseen = options.inbox === false ? events : await firstSeen(tx, groupId, events);
      if (unseen.length > 0) await options.handle(tx, unseen);
      stats.applied += unseen.length;
    }
    await saveCheckpoints(tx, groupId, moved);
  });
}

/** The events not in this group's inbox yet, which are now. */
async function firstSeen(tx: EntityManager, groupId: string, events: ConsumedEvent[]): Promise<ConsumedEvent[]> {
  const inserted = await runPrepared<{ event_id: string }>(tx, inboxStatement, [groupId, events.map((event) => event.eventId)]);
  const seen = new Set(inserted.map((row) => row.event_id));
  return events.filter((event) => seen.delete(event.eventId));
}
