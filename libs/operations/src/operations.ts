// The operator surface of one service, behind its admin gRPC service: its read models and their
// rebuilds (as jobs), its dead letters and their retry, the re-publication of its own events, the
// verification of a stream's hash chain, and its metrics in the Prometheus text format. Answers
// carry names, counts, positions and ids only: never event data.
import { DomainError } from '@homeward/decider';
import type { DataSource } from 'typeorm';
import { uuidv7 } from '@homeward/observability';
import { isUuid } from '@homeward/vocabulary';
import {
  OUTBOX_CHANNEL,
  tableOf,
  verifyChain,
  type ChainVerification,
  type ConsumerRunner,
  type DocumentProjection,
  type EventStore,
} from '@homeward/eventsourcing';
import { rebuildConsumerReadModel, type ConsumerReadModel } from './consumer-rebuild.js';
import { rebuildInlineProjection, type RebuildProgress } from './rebuild.js';
import { prometheusMetrics } from './metrics.js';
import { streamEvents, streamHeads, type StreamEventRef, type StreamHead } from './stream-heads.js';

export interface OperationsOptions {
  service: string;
  dataSource: DataSource;
  store: EventStore | null;
  consumers: readonly ConsumerRunner[];
  /** Read models fed by a consumer group; the inline ones come from the store's options. */
  consumerReadModels?: readonly ConsumerReadModel[];
  pageSize?: number;
}

export interface ProjectionInfo {
  name: string;
  service: string;
  kind: 'inline' | 'consumer';
  state: 'live' | 'rebuilding';
  /** inline: the last global position of the store; consumer: its checkpoints. */
  position: string;
  checkpoints: Array<{ topic: string; partition: number; offset: string; lag: string }>;
  rows: number;
  /** consumer: messages not yet applied, over all partitions; inline: 0 by construction. */
  lag: string;
}

export interface JobInfo {
  id: string;
  service: string;
  kind: 'rebuild' | 'republish';
  projection: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  eventsDone: number;
  eventsTotal: number;
  ratePerSecond: number;
  etaSeconds: number;
  startedAt: string;
  finishedAt: string;
  errorCode: string;
}

export interface DeadLetterInfo {
  id: string;
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  eventType: string;
  error: string;
  attempts: number;
  createdAt: string;
  retriedAt: string;
}

export class ServiceOperations {
  /** Table name → id of the job rebuilding it. */
  private readonly rebuilding = new Map<string, string>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: OperationsOptions) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each projection has its own document type
  private get inline(): readonly DocumentProjection<any>[] {
    return this.options.store?.options.projections ?? [];
  }

  async listProjections(): Promise<ProjectionInfo[]> {
    const { dataSource, service } = this.options;
    const [{ position }]: Array<{ position: string }> = this.options.store
      ? await dataSource.query(`SELECT coalesce(max(global_position), 0)::text AS position FROM events`)
      : [{ position: '0' }];
    const answer: ProjectionInfo[] = [];
    for (const projection of this.inline) {
      answer.push({
        name: projection.name,
        service,
        kind: 'inline',
        state: this.state(projection.name),
        position,
        checkpoints: [],
        rows: await this.rows(projection.name),
        lag: '0',
      });
    }
    for (const readModel of this.options.consumerReadModels ?? []) {
      const runner = this.runnerOf(readModel);
      const checkpoints = runner ? await runner.lag() : [];
      const lag = checkpoints.reduce((sum, checkpoint) => sum + BigInt(checkpoint.lag), 0n).toString();
      for (const name of readModel.tables) {
        answer.push({
          name,
          service,
          kind: 'consumer',
          state: this.state(name),
          position: '',
          checkpoints,
          rows: await this.rows(name),
          lag,
        });
      }
    }
    return answer;
  }

  private runnerOf(readModel: ConsumerReadModel): ConsumerRunner | undefined {
    const groupId = `${process.env.KAFKA_GROUP_PREFIX ?? ''}${readModel.groupId}`;
    return this.options.consumers.find((consumer) => consumer.groupId === groupId);
  }

  private state(name: string): ProjectionInfo['state'] {
    return this.rebuilding.has(name) ? 'rebuilding' : 'live';
  }

  private async rows(name: string): Promise<number> {
    const [{ rows }]: Array<{ rows: number }> = await this.options.dataSource.query(
      `SELECT count(*)::int AS rows FROM ${tableOf({ name })}`,
    );
    return rows;
  }

  /**
   * Starts rebuilding a read model beside the live one; answers with the job at once. A table
   * that a job is already rebuilding answers with that job (the tables a consumer keeps together
   * are rebuilt together).
   */
  async rebuildProjection(name: string): Promise<JobInfo> {
    const under = this.rebuilding.get(name);
    if (under) return this.getJob(under);
    const { dataSource } = this.options;
    const projection = this.inline.find((candidate) => candidate.name === name);
    const readModel = (this.options.consumerReadModels ?? []).find((candidate) => candidate.tables.includes(name));
    let rebuild: (onProgress: (progress: RebuildProgress) => Promise<void>) => Promise<unknown>;
    let tables: readonly string[];
    if (projection) {
      tables = [name];
      rebuild = (onProgress) =>
        rebuildInlineProjection({
          dataSource,
          projection,
          upcasters: this.options.store?.options.upcasters,
          pageSize: this.options.pageSize,
          onProgress,
        });
    } else if (readModel) {
      const runner = this.runnerOf(readModel);
      if (!runner)
        throw new DomainError('rule-violated', 'projection.consumer-gone', 'the consumer group of this read model does not run here');
      tables = readModel.tables;
      rebuild = (onProgress) =>
        rebuildConsumerReadModel({
          dataSource,
          broker: runner.broker,
          topics: runner.topics,
          liveGroupId: runner.groupId,
          readModel,
          onProgress,
        });
    } else {
      throw new DomainError('not-found', 'projection.not-found', 'no such read model in this service');
    }
    const id = uuidv7();
    for (const table of tables) this.rebuilding.set(table, id);
    await dataSource.query(`INSERT INTO projection_jobs (id, service, kind, projection, state) VALUES ($1, $2, 'rebuild', $3, 'running')`, [
      id,
      this.options.service,
      name,
    ]);
    const started = Date.now();
    const run = rebuild(async ({ eventsDone, eventsTotal }) => {
      const rate = eventsDone / Math.max((Date.now() - started) / 1000, 0.001);
      const eta = rate > 0 ? Math.max(eventsTotal - eventsDone, 0) / rate : 0;
      await dataSource.query(`UPDATE projection_jobs SET events_done = $2, events_total = $3, rate = $4, eta_seconds = $5 WHERE id = $1`, [
        id,
        eventsDone,
        eventsTotal,
        rate,
        eta,
      ]);
    })
      .then(() =>
        dataSource.query(
          `UPDATE projection_jobs SET state = 'done', events_total = events_done, eta_seconds = 0, finished_at = now() WHERE id = $1`,
          [id],
        ),
      )
      .catch((error: unknown) => {
        const code = error instanceof DomainError ? error.code : 'projection.rebuild-failed';
        return dataSource
          .query(`UPDATE projection_jobs SET state = 'failed', finished_at = now(), error_code = $2 WHERE id = $1`, [id, code])
          .catch(() => undefined);
      })
      .finally(() => {
        for (const table of tables) this.rebuilding.delete(table);
        this.running.delete(run);
      });
    this.running.add(run);
    return this.getJob(id);
  }

  /** Waits for the jobs under way (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async getJob(id: string): Promise<JobInfo> {
    const rows: Array<Record<string, string | number | null>> = isUuid(id)
      ? await this.options.dataSource.query(
          `SELECT id, service, kind, projection, state, events_done::int AS events_done, events_total::int AS events_total,
                  rate, eta_seconds, started_at, finished_at, error_code
           FROM projection_jobs WHERE id = $1`,
          [id],
        )
      : [];
    const row = rows[0];
    if (!row) throw new DomainError('not-found', 'job.not-found', 'no such job in this service');
    return {
      id: String(row.id),
      service: String(row.service),
      kind: row.kind as JobInfo['kind'],
      projection: String(row.projection),
      state: row.state as JobInfo['state'],
      eventsDone: Number(row.events_done),
      eventsTotal: Number(row.events_total),
      ratePerSecond: Number(row.rate),
      etaSeconds: Number(row.eta_seconds),
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      errorCode: row.error_code === null ? '' : String(row.error_code),
    };
  }

  async listDeadLetters(limit = 100): Promise<DeadLetterInfo[]> {
    const rows: Array<Record<string, string | number | null>> = await this.options.dataSource.query(
      `SELECT id::text, group_id, topic, partition, "offset"::text AS "offset", event_type, error, attempts, created_at, retried_at
       FROM dead_letters ORDER BY id LIMIT $1`,
      [Math.min(Math.max(limit, 1), 1000)],
    );
    return rows.map((row) => ({
      id: String(row.id),
      groupId: String(row.group_id),
      topic: String(row.topic),
      partition: Number(row.partition),
      offset: String(row.offset),
      eventType: row.event_type === null ? '' : String(row.event_type),
      error: String(row.error),
      attempts: Number(row.attempts),
      createdAt: iso(row.created_at),
      retriedAt: iso(row.retried_at),
    }));
  }

  async retryDeadLetter(id: string): Promise<{ id: string; outcome: string }> {
    const rows: Array<{ group_id: string }> = /^\d{1,18}$/.test(id)
      ? await this.options.dataSource.query(`SELECT group_id FROM dead_letters WHERE id = $1`, [id])
      : [];
    if (!rows[0]) throw new DomainError('not-found', 'dead-letter.not-found', 'no such dead letter in this service');
    const consumer = this.options.consumers.find((candidate) => candidate.groupId === rows[0]!.group_id);
    if (!consumer)
      throw new DomainError('rule-violated', 'dead-letter.consumer-gone', 'the consumer group of this dead letter does not run here');
    try {
      return { id, outcome: await consumer.retryDeadLetter(id) };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('rule-violated', 'dead-letter.still-failing', 'the message still fails; it stays dead-lettered');
    }
  }

  /** Re-publishes a stream, or the events recorded in [from, to), through the outbox, in order. */
  async republishEvents(request: { streamId?: string; from?: string; to?: string }): Promise<JobInfo> {
    const { store, dataSource, service } = this.options;
    if (!store) throw new DomainError('rule-violated', 'replay.no-event-store', 'this service has no event store');
    if (!request.streamId && !request.from && !request.to) {
      throw new DomainError('validation-failed', 'replay.range-missing', 'give a stream id or a time range');
    }
    for (const bound of [request.from, request.to]) {
      if (bound && Number.isNaN(Date.parse(bound)))
        throw new DomainError('validation-failed', 'replay.invalid-time', 'from and to are ISO 8601 times');
    }
    const id = uuidv7();
    const label = request.streamId ? 'stream' : 'time-range';
    await dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO outbox (stream_id, from_version, to_version, topic)
         SELECT stream_id, stream_version, stream_version, $1 FROM events
         WHERE ($2::text IS NULL OR stream_id = $2)
           AND ($3::timestamptz IS NULL OR recorded_at >= $3)
           AND ($4::timestamptz IS NULL OR recorded_at < $4)
         ORDER BY global_position
         RETURNING position`,
        [store.options.topic, request.streamId || null, request.from || null, request.to || null],
      );
      await tx.query(
        `INSERT INTO projection_jobs (id, service, kind, projection, state, events_done, events_total, finished_at)
         VALUES ($1, $2, 'republish', $3, 'done', $4, $4, now())`,
        [id, service, label, inserted.length],
      );
      await tx.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    });
    return this.getJob(id);
  }

  async verifyStream(streamId: string): Promise<ChainVerification> {
    if (!this.options.store) throw new DomainError('rule-violated', 'stream.no-event-store', 'this service has no event store');
    const events = await this.options.store.readStream(streamId, { raw: true });
    if (events.length === 0) throw new DomainError('not-found', 'stream.not-found', 'no such stream in this service');
    return verifyChain(streamId, events);
  }

  /** The store's streams summed up, for a reconciliation with audit's copy (stream-heads.ts). */
  async streamHeads(after: string, limit?: number): Promise<{ items: StreamHead[]; nextCursor: string }> {
    if (!this.options.store) throw new DomainError('rule-violated', 'stream.no-event-store', 'this service has no event store');
    return streamHeads(this.options.dataSource, after, limit);
  }

  async streamEvents(streamId: string, cursor: string, limit?: number): Promise<{ items: StreamEventRef[]; nextCursor: string }> {
    if (!this.options.store) throw new DomainError('rule-violated', 'stream.no-event-store', 'this service has no event store');
    return streamEvents(this.options.dataSource, streamId, cursor, limit);
  }

  /** Prometheus text: counts and positions under names and ids only. */
  async metrics(): Promise<string> {
    return prometheusMetrics(this.options, await this.listProjections());
  }
}

function iso(value: unknown): string {
  if (value === null || value === undefined) return '';
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
