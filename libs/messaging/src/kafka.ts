// The one place that knows kafkajs. Everything else talks to the small ports below, so another
// client can replace it.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Consumer, type Producer, type SASLOptions } from 'kafkajs';
import { isDevelopment } from '@homeward/security';
import type { Headers } from './codec.js';

export interface OutgoingMessage {
  key: string;
  value: Buffer;
  headers: Headers;
}

export interface IncomingMessage {
  key: string;
  value: Buffer;
  headers: Record<string, Buffer | string | undefined | (Buffer | string)[]>;
  offset: string;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  /** Call during long work so the group does not evict this member. */
  heartbeat(): Promise<void>;
  /** Tells the broker client that everything up to this offset is done. */
  resolveOffset(offset: string): void;
  isRunning(): boolean;
}

export interface Publisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  eachBatch(batch: IncomingBatch): Promise<void>;
  /** Partitions whose batches may be handed to eachBatch at the same time (default 1); each partition's stay in order. */
  concurrentPartitions?: number;
  /** Called with the partitions this member owns after each rebalance. */
  onAssigned?(assignment: Record<string, number[]>, seek: (topic: string, partition: number, offset: string) => void): Promise<void>;
  /** Called when the client gives up (after its own restarts); the runner decides what next. */
  onCrash?(error: Error): void;
}

export interface Broker {
  publisher(): Promise<Publisher>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ensureTopics(topics: string[], options?: { partitions?: number; replicationFactor?: number }): Promise<void>;
  /** The next offset to be written (high watermark) of each partition of a topic. */
  endOffsets(topic: string): Promise<Array<{ partition: number; high: string }>>;
  /** Removes consumer groups that have no member left (a finished rebuild's). */
  deleteGroups(groupIds: string[]): Promise<void>;
  disconnect(): Promise<void>;
}

export const saslMechanisms = ['scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof saslMechanisms)[number];

export interface BrokerConfig {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers: true trusts the system's CAs; `ca` (PEM) trusts those instead. */
  ssl?: true | { ca: string[] };
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

/**
 * KAFKA_BROKERS, and for a production cluster KAFKA_SSL=true (KAFKA_SSL_CA_FILE for a private CA)
 * with KAFKA_SASL_MECHANISM (scram-sha-256 or scram-sha-512), KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD. Production (anything but HOMEWARD_DEV=1) requires both: without TLS the
 * events, ciphertext or not, and the login would travel in the clear.
 */
export function brokerConfigFromEnv(clientId: string, env = process.env): BrokerConfig {
  const config: BrokerConfig = { clientId, brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()) };
  const caFile = env.KAFKA_SSL_CA_FILE;
  if (env.KAFKA_SSL === 'true' || caFile) config.ssl = caFile ? { ca: [readFileSync(caFile, 'utf8')] } : true;
  else if (env.KAFKA_SSL && env.KAFKA_SSL !== 'false') throw new Error('KAFKA_SSL must be true or false');
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!(saslMechanisms as readonly string[]).includes(mechanism))
      throw new Error(`KAFKA_SASL_MECHANISM must be one of ${saslMechanisms.join(', ')}`);
    const username = env.KAFKA_SASL_USERNAME;
    const password = env.KAFKA_SASL_PASSWORD;
    if (!username || !password) throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    config.sasl = { mechanism: mechanism as SaslMechanism, username, password };
  }
  if (!isDevelopment(env) && (!config.ssl || !config.sasl))
    throw new Error('production requires Kafka over TLS with SASL: KAFKA_SSL=true and KAFKA_SASL_*');
  return config;
}

const topicDefaults = (env = process.env) => ({
  partitions: Number(env.KAFKA_TOPIC_PARTITIONS ?? 6),
  replicationFactor: Number(env.KAFKA_REPLICATION_FACTOR ?? 1),
});

export function createKafkaBroker(config: BrokerConfig): Broker {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ...(config.ssl ? { ssl: config.ssl } : {}),
    // kafkajs types each mechanism apart; ours is one of its SCRAM ones.
    ...(config.sasl ? { sasl: config.sasl as SASLOptions } : {}),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 8 },
  });
  const closers: Array<() => Promise<void>> = [];

  return {
    async publisher() {
      const connected = async () => {
        const fresh: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
        await fresh.connect();
        return fresh;
      };
      let producer: Producer | null = await connected();
      const close = async () => {
        await producer?.disconnect();
      };
      closers.push(close);
      return {
        async publish(topic, messages) {
          if (messages.length === 0) return;
          producer ??= await connected();
          try {
            await producer.send({ topic, acks: -1, messages });
          } catch (error) {
            // A send that failed may still have been written (a broker killed before it answered).
            // kafkajs then keeps sequence numbers behind the broker's, and the caller's next send
            // (the outbox again, cut into other batches) is refused with OUT_OF_ORDER_SEQUENCE_NUMBER
            // for ever. A new producer gets a new producer id whose sequences start afresh; what
            // it sends again is deduplicated by event id downstream.
            const stale = producer;
            producer = null;
            await stale.disconnect().catch(() => undefined);
            throw error;
          }
        },
        close,
      };
    },

    async subscribe(options) {
      const consumer: Consumer = kafka.consumer({
        groupId: options.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 10_000, // a killed member is noticed within this
        heartbeatInterval: 3_000,
        // A fetch answers as soon as there is a message; the wait only bounds an idle member's
        // polling (100 ms cost an idle system a tenth of a core across its consumers).
        maxWaitTimeInMs: 500,
        retry: { retries: 5 },
      });
      await consumer.connect();
      for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: true });
      if (options.onAssigned) {
        consumer.on(consumer.events.GROUP_JOIN, (event) => {
          const seek = (topic: string, partition: number, offset: string) => consumer.seek({ topic, partition, offset });
          options.onAssigned!(event.payload.memberAssignment, seek).catch((error: Error) => options.onCrash?.(error));
        });
      }
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) options.onCrash?.(event.payload.error);
      });
      await consumer.run({
        autoCommit: true, // a hint for restarts; the Postgres checkpoint is what counts
        autoCommitInterval: 5_000,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.concurrentPartitions ?? 1,
        eachBatch: async ({ batch, heartbeat, resolveOffset, isRunning, isStale }) => {
          if (isStale()) return;
          await options.eachBatch({
            topic: batch.topic,
            partition: batch.partition,
            messages: batch.messages.map((m) => ({
              key: m.key?.toString() ?? '',
              value: m.value ?? Buffer.alloc(0),
              headers: m.headers ?? {},
              offset: m.offset,
            })),
            heartbeat,
            resolveOffset,
            isRunning: () => isRunning() && !isStale(),
          });
        },
      });
      const stop = () => consumer.disconnect();
      closers.push(stop);
      return { stop };
    },

    async ensureTopics(topics, options = {}) {
      const { partitions, replicationFactor } = { ...topicDefaults(), ...options };
      const admin = kafka.admin();
      await admin.connect();
      try {
        // Several services create the same topics at start, and a new topic's leaders take a
        // moment to be known: treat "already exists" as done and retry what Kafka calls retriable.
        for (let attempt = 1; ; attempt += 1) {
          try {
            const existing = new Set(await admin.listTopics());
            const missing = topics.filter((topic) => !existing.has(topic));
            if (missing.length > 0) {
              await admin.createTopics({
                waitForLeaders: true,
                topics: missing.map((topic) => ({
                  topic,
                  numPartitions: partitions,
                  replicationFactor,
                  configEntries: [{ name: 'retention.ms', value: '-1' }],
                })),
              });
            }
            await admin.fetchTopicMetadata({ topics });
            return;
          } catch (error) {
            const kafkaError = error as { type?: string; retriable?: boolean };
            const transient = kafkaError.retriable === true || kafkaError.type === 'TOPIC_ALREADY_EXISTS';
            if (!transient || attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          }
        }
      } finally {
        await admin.disconnect();
      }
    },

    async endOffsets(topic) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, high }));
      } finally {
        await admin.disconnect();
      }
    },

    async deleteGroups(groupIds) {
      if (groupIds.length === 0) return;
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteGroups(groupIds);
      } finally {
        await admin.disconnect();
      }
    },

    async disconnect() {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
