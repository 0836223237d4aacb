// Publishes committed events from the outbox to Kafka, oldest first, and deletes what the broker
// acknowledged. It reads the outbox as a queue (no high-water mark), so an event whose transaction
// commits late is simply picked up by a later pass: nothing is skipped. Rows of one stream enter
// the outbox in commit order (writers serialise on the stream row), and a single relay per
// database (a session advisory lock) with an idempotent, one-in-flight producer keeps that order
// on Kafka. A crash between publish and delete republishes: consumers dedupe by event id.
import { loggableError } from '@homeward/observability';
import { cloudEventHeaders, encodeEventValue, type OutgoingMessage, type Publisher } from '@homeward/messaging';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { prepared, runPrepared } from '../prepared.js';
import { OUTBOX_CHANNEL, eventColumns, rowToEnvelope } from '../store/event-store.js';

// The oldest queued events but those of the batch still on its way to Kafka ($2, often empty).
const nextBatchStatement = prepared(
  'outbox_next_batch',
  `SELECT o.position, o.topic, ${eventColumns.split(', ').map((c) => `e.${c}`).join(', ')}
   FROM outbox o JOIN events e ON e.event_id = o.event_id
   WHERE o.position <> ALL($2::bigint[])
   ORDER BY o.position
   LIMIT $1`,
);

type OutboxRow = { position: string; topic: string } & Parameters<typeof rowToEnvelope>[0];
const publishedStatement = prepared('outbox_published', `DELETE FROM outbox WHERE position = ANY($1::bigint[])`);

export interface RelayLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  /** Connection string for the relay's own session (LISTEN and the leader lock). */
  databaseUrl: string;
  publisher: Publisher;
  batchSize?: number;
  /** Safety net in case a notification is missed. */
  pollIntervalMs?: number;
  logger?: RelayLogger;
}

const LEADER_LOCK = 0x686f6d65; // any constant shared by every relay of a database

export class OutboxRelay {
  private running = false;
  private listener: pg.Client | null = null;
  private leader = false;
  private wake: (() => void) | null = null;
  private notified = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** The next batch, read while the current one was on its way (null: read it when needed). */
  private prefetched: Promise<OutboxRow[] | null> | null = null;
  published = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  async start(): Promise<void> {
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.disconnect();
  }

  /** Publishes everything visible now; resolves with how many events went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.publishBatch();
      total += sent;
      if (sent < (this.options.batchSize ?? 500)) return total;
    }
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.sleep(2_000);
          continue;
        }
        const sent = await this.publishBatch();
        backoff = 100;
        if (sent >= (this.options.batchSize ?? 500)) continue;
        await this.sleep(this.options.pollIntervalMs ?? 1_000);
      } catch (error) {
        this.options.logger?.warn({ err: loggableError(error), retryInMs: backoff }, 'outbox relay pass failed');
        await this.disconnectIfBroken(error);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.listener && this.leader) return true;
    if (!this.listener) {
      const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay' });
      client.on('error', () => void this.disconnect());
      client.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      await client.connect();
      this.listener = client;
    }
    const [row] = (await this.listener.query('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK])).rows;
    this.leader = row.locked === true;
    if (this.leader) {
      await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.options.logger?.info({}, 'outbox relay leads');
    }
    return this.leader;
  }

  /**
   * Publishes the oldest queued events and deletes their outbox rows. While Kafka acknowledges a
   * full batch, the next one is read already, everything but this batch: as if read after the
   * delete, so a late commit and its stream's later events still go out in order. It is sent only
   * after this batch is acknowledged and deleted; after any failure it is dropped and read again.
   */
  private async publishBatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    const next = this.prefetched;
    this.prefetched = null;
    try {
      const rows = (await next) ?? (await this.readBatch([]));
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const row of rows) {
        const event = rowToEnvelope(row);
        const messages = byTopic.get(row.topic) ?? [];
        messages.push({ key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event, row.metadata.traceparent) });
        byTopic.set(row.topic, messages);
      }
      const positions = rows.map((row) => row.position);
      if (rows.length >= batchSize) this.prefetched = this.readBatch(positions).catch(() => null);
      for (const [topic, messages] of byTopic) await this.options.publisher.publish(topic, messages);
      await runPrepared(this.options.dataSource, publishedStatement, [positions]);
      this.published += rows.length;
      return rows.length;
    } catch (error) {
      this.prefetched = null;
      throw error;
    }
  }

  private readBatch(inFlight: string[]): Promise<OutboxRow[]> {
    return runPrepared<OutboxRow>(this.options.dataSource, nextBatchStatement, [this.options.batchSize ?? 500, inFlight]);
  }

  /** Waits for ms, or less when a commit notified us (also one that came while we were busy). */
  private sleep(ms: number): Promise<void> {
    if (this.notified || !this.running) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async disconnectIfBroken(error: unknown): Promise<void> {
    if (error instanceof Error && /connection|terminat|ECONN/i.test(error.message)) await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const client = this.listener;
    this.listener = null;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }
}
