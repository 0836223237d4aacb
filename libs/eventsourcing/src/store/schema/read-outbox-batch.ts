// The relay's read: the events of the oldest queued appends, at most `limit`, but those of the
// appends still on their way to Kafka (`inFlight`, often empty). An append larger than what is
// left of the batch is split: the rest of it stays queued (see acknowledge-outbox.ts).
import type { DataSource } from 'typeorm';
import { prepared, runPrepared } from '../../prepared.js';
import { eventColumns, type EventRow } from './event-row.js';

/** The events an outbox row `o` queues (one append's versions of one stream), as `e`. */
export const outboxEventsJoin = 'JOIN events e ON e.stream_id = o.stream_id AND e.stream_version BETWEEN o.from_version AND o.to_version';

const nextBatchStatement = prepared(
  'outbox_next_batch',
  `SELECT o.position, o.topic, o.to_version, ${eventColumns
    .split(', ')
    .map((c) => `e.${c}`)
    .join(', ')}
   FROM (SELECT * FROM outbox WHERE position <> ALL($2::bigint[]) ORDER BY position LIMIT $1) o
   ${outboxEventsJoin}
   ORDER BY o.position, e.stream_version
   LIMIT $1`,
);

/** An event queued in the outbox: its outbox row's position and topic, and the last version of its append. */
export type OutboxRow = { position: string; topic: string; to_version: number } & EventRow;

export function readOutboxBatch(dataSource: DataSource, limit: number, inFlight: readonly string[]): Promise<OutboxRow[]> {
  return runPrepared<OutboxRow>(dataSource, nextBatchStatement, [limit, inFlight]);
}
