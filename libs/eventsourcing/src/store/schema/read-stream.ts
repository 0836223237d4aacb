// A stream's events in version order, as stored (not upcast).
import type { DataSource, EntityManager } from 'typeorm';
import { prepared, runPrepared } from '../../prepared.js';
import { eventColumns, rowToEnvelope, type EventRow } from './event-row.js';

const readStreamStatement = prepared('read_stream', `SELECT ${eventColumns} FROM events WHERE stream_id = $1 ORDER BY stream_version`);

export async function readStream(db: EntityManager | DataSource, streamId: string) {
  const rows = await runPrepared<EventRow>(db, readStreamStatement, [streamId]);
  return rows.map(rowToEnvelope);
}
