// Publishes committed events from the outbox to Kafka, oldest first, and deletes what the broker
// acknowledged. It reads the outbox as a queue (no high-water mark), so an event whose transaction
// commits late is simply picked up by a later pass: nothing is skipped. An outbox row is one
// append: a stream and the versions it wrote. Rows of one stream enter the outbox in commit order
// (a writer holds the stream's head row from its append to its commit), and a single relay per
// database (a session advisory lock) with an idempotent, one-in-flight producer keeps that order
// on Kafka. A crash between publish and delete republishes: consumers dedupe by event id.
import { loggableError } from '@homeward/observability';
import { toMessages, type OutgoingMessage, type Publisher } from '@homeward/messaging';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger.js';
import { OUTBOX_CHANNEL } from '../store/event-store.js';
import { acknowledgeOutbox } from '../store/schema/acknowledge-outbox.js';
import { rowToEnvelope } from '../store/schema/event-row.js';
import { readOutboxBatch, type OutboxRow } from '../store/schema/read-outbox-batch.js';
import { OutboxWakeUp } from '../store/outbox-wake-up.js';

interface PreparedBatch {
  byTopic: Map<string, OutgoingMessage[]>;
  /** The outbox rows (appends) it holds, oldest first. */
  positions: string[];
  last: OutboxRow;
  /** It ends inside an append whose rest stays queued. */
  split: boolean;
  count: number;
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  /** Connection string for the relay's own session (LISTEN and the leader lock). */
  databaseUrl: string;
  publisher: Publisher;
  batchSize?: number;
  /** Safety net in case a notification is missed. */
  pollIntervalMs?: number;
  logger?: Logger;
}

const LEADER_LOCK = 0x686f6d65; // any constant shared by every relay of a database

export class OutboxRelay {
  private running = false;
  private listener: pg.Client | null = null;
  private leader = false;
  private wake: (() => void) | null = null;
  private notified = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** The next batch, read and encoded while the current one was on its way (null: read it when needed). */
  private prefetched: Promise<PreparedBatch | null> | null = null;
  /** The delete of the last full batch's rows, still running while the next batch goes out. */
  private acknowledging: Promise<void> | null = null;
  published = 0;
  /** A commit queued events: one of this process's tells it directly, others' by NOTIFY. */
  private readonly onCommit = () => {
    this.notified = true;
    this.wake?.();
  };

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Whether this relay holds its database's leader lock (only the leader publishes). */
  get leading(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    this.dropPrefetched();
    await this.settleAcknowledgement().catch(() => undefined);
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
      client.on('notification', this.onCommit);
      await client.connect();
      this.listener = client;
    }
    const [row] = (await this.listener.query('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK])).rows;
    this.leader = row.locked === true;
    if (this.leader) {
      await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      OutboxWakeUp.of(this.options.dataSource).relayLeads(this.onCommit);
      this.options.logger?.info({}, 'outbox relay leads');
    }
    return this.leader;
  }

  /**
   * Publishes the oldest queued events and deletes their outbox rows. While Kafka acknowledges a
   * full batch, the next one is read and encoded already, everything but this batch's appends: as
   * if read after the delete, so a late commit and its stream's later events still go out in
   * order. It is sent once this batch is acknowledged, while this batch's rows are deleted; the
   * batch after it is read only once that delete has committed. After any failure what was read
   * ahead is dropped and read again (a republished event is deduplicated downstream). A batch that
   * ends inside an append reads nothing ahead: the rest of that append must go out before anything
   * later of its stream.
   */
  private async publishBatch(): Promise<number> {
    const next = this.prefetched;
    this.prefetched = null;
    try {
      let batch = await next;
      if (!batch) {
        await this.settleAcknowledgement();
        batch = this.prepare(await this.readBatch([]));
        if (!batch) return 0;
      }
      const { byTopic, positions, last, split, count } = batch;
      const full = count >= (this.options.batchSize ?? 500) && !split;
      const previous = this.acknowledging;
      if (full) {
        this.prefetched = (previous ?? Promise.resolve()).then(() =>
          this.readBatch(positions).then(
            (rows) => this.prepare(rows),
            () => null, // read again on the next pass
          ),
        );
      }
      for (const [topic, messages] of byTopic) await this.options.publisher.publish(topic, messages);
      this.published += count;
      const whole = split ? positions.slice(0, -1) : positions;
      const acknowledged = acknowledgeOutbox(
        this.options.dataSource,
        whole,
        split ? { position: last.position, fromVersion: last.stream_version + 1 } : null,
      );
      if (full) {
        // Waited for by the read of the batch after next, or when the relay settles.
        acknowledged.catch(() => undefined);
        this.acknowledging = acknowledged;
      } else {
        await this.settleAcknowledgement();
        await acknowledged;
      }
      return count;
    } catch (error) {
      this.dropPrefetched();
      throw error;
    }
  }

  /** What was read ahead is not sent; a failure it ends in has been dealt with already. */
  private dropPrefetched(): void {
    void this.prefetched?.catch(() => null);
    this.prefetched = null;
  }

  /** Waits for the delete of the batch before, if it is still running (and fails as it did). */
  private async settleAcknowledgement(): Promise<void> {
    const pending = this.acknowledging;
    this.acknowledging = null;
    await pending;
  }

  /** A batch's messages by topic, and what its acknowledgement deletes; null when there is none. */
  private prepare(rows: OutboxRow[]): PreparedBatch | null {
    if (rows.length === 0) return null;
    const messages = toMessages(
      rows.map(rowToEnvelope),
      rows.map((row) => row.metadata.traceparent),
    );
    const byTopic = new Map<string, OutgoingMessage[]>();
    rows.forEach((row, i) => {
      const queued = byTopic.get(row.topic);
      if (queued) queued.push(messages[i]!);
      else byTopic.set(row.topic, [messages[i]!]);
    });
    const last = rows[rows.length - 1]!;
    return {
      byTopic,
      positions: [...new Set(rows.map((row) => row.position))],
      last,
      split: last.stream_version < last.to_version,
      count: rows.length,
    };
  }

  private readBatch(inFlight: string[]): Promise<OutboxRow[]> {
    return readOutboxBatch(this.options.dataSource, this.options.batchSize ?? 500, inFlight);
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
    OutboxWakeUp.of(this.options.dataSource).relayStepsDown(this.onCommit);
    this.leader = false;
    await client?.end().catch(() => undefined);
  }
}
