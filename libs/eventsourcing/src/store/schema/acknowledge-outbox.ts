// Deletes the appends Kafka has all of; the one it has the first part of (a batch split it) keeps
// the rest, from the version after the last one published.
import type { DataSource } from 'typeorm';
import { prepared, runPrepared } from '../../prepared.js';

const acknowledgedStatement = prepared(
  'outbox_acknowledged',
  `WITH published AS (DELETE FROM outbox WHERE position = ANY($1::bigint[]))
   UPDATE outbox SET from_version = $3::int WHERE position = $2::bigint`,
);

export async function acknowledgeOutbox(
  dataSource: DataSource,
  whole: readonly string[],
  split: { position: string; fromVersion: number } | null,
): Promise<void> {
  await runPrepared(dataSource, acknowledgedStatement, [whole, split?.position ?? null, split?.fromVersion ?? null]);
}
