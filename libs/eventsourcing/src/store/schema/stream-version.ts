// The committed head version of a stream (0 for a stream that has none).
import type { EntityManager } from 'typeorm';
import { prepared, runPrepared } from '../../prepared.js';

const streamVersionStatement = prepared('stream_version', `SELECT version FROM streams WHERE stream_id = $1`);

export async function streamVersion(tx: EntityManager, streamId: string): Promise<number> {
  const [row] = await runPrepared<{ version: number }>(tx, streamVersionStatement, [streamId]);
  return row?.version ?? 0;
}
