// A service's metrics in the Prometheus text format: its events and outbox, its read models' rows,
// its consumers' checkpoints and lag, and its dead letters. Names, counts and positions only.
import type { OperationsOptions, ProjectionInfo } from './operations.js';

/** Prometheus text: counts and positions under names and ids only. */
export async function prometheusMetrics(options: OperationsOptions, projections: readonly ProjectionInfo[]): Promise<string> {
  const { dataSource, service } = options;
  const lines: string[] = [];
  const label = (labels: Record<string, string | number>) =>
    `{${Object.entries(labels)
      .map(([key, value]) => `${key}="${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`)
      .join(',')}}`;
  if (options.store) {
    const [{ events, pending }]: Array<{ events: string; pending: string }> = await dataSource.query(
      `SELECT (SELECT count(*) FROM events)::text AS events,
              (SELECT coalesce(sum(to_version - from_version + 1), 0) FROM outbox)::text AS pending`,
    );
    lines.push('# TYPE homeward_events_appended_total counter', `homeward_events_appended_total${label({ service })} ${events}`);
    lines.push('# TYPE homeward_outbox_pending gauge', `homeward_outbox_pending${label({ service })} ${pending}`);
  }
  lines.push('# TYPE homeward_projection_rows gauge');
  for (const projection of projections) {
    lines.push(`homeward_projection_rows${label({ service, projection: projection.name, kind: projection.kind })} ${projection.rows}`);
  }
  const checkpoints: Array<{ group_id: string; topic: string; partition: number; offset: string }> = await dataSource.query(
    `SELECT group_id, topic, partition, "offset"::text AS "offset" FROM checkpoints ORDER BY group_id, topic, partition`,
  );
  lines.push('# TYPE homeward_consumer_checkpoint gauge');
  for (const row of checkpoints) {
    lines.push(
      `homeward_consumer_checkpoint${label({ service, group: row.group_id, topic: row.topic, partition: row.partition })} ${row.offset}`,
    );
  }
  lines.push('# TYPE homeward_consumer_lag gauge');
  for (const consumer of options.consumers) {
    for (const row of await consumer.lag()) {
      lines.push(
        `homeward_consumer_lag${label({ service, group: consumer.groupId, topic: row.topic, partition: row.partition })} ${row.lag}`,
      );
    }
  }
  const [{ dead }]: Array<{ dead: string }> = await dataSource.query(
    `SELECT count(*)::text AS dead FROM dead_letters WHERE retried_at IS NULL`,
  );
  lines.push('# TYPE homeward_dead_letters gauge', `homeward_dead_letters${label({ service })} ${dead}`);
  return `${lines.join('\n')}\n`;
}
