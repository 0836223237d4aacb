#!/usr/bin/env node
// Creates the per-context event topics, which are the replayable log: unlimited retention,
// delete (not compact) cleanup. The brokers run with auto.create.topics.enable=false, so nothing
// else creates them. Existing topics are left as they are.
// Usage: node infra/topics.mjs
//
// Configuration (environment):
//   KAFKA_BROKERS             host:port[,host:port…] (default 127.0.0.1:9092)
//   KAFKA_TOPIC_PARTITIONS    partitions of a new topic (default 6)
//   KAFKA_REPLICATION_FACTOR  replicas of a new topic (default 1; 3 in production)
import { log, parseBrokers, sleep } from './common.mjs';

export const contexts = Object.freeze(['intake', 'identity-documents', 'legal', 'notifications', 'audit']);
/** As topicOf in libs/messaging (KAFKA_TOPIC_PREFIX included); kept here because infra runs before npm install. */
export const topicFor = (context) => `${process.env.KAFKA_TOPIC_PREFIX ?? ''}homeward.${context}.events.v1`;
export const contextTopics = Object.freeze(contexts.map(topicFor));

const topicConfig = [
  { name: 'retention.ms', value: '-1' },
  { name: 'cleanup.policy', value: 'delete' },
];

function brokerList(brokers) {
  if (Array.isArray(brokers)) return brokers.map((b) => (typeof b === 'string' ? b : `${b.host}:${b.port}`));
  return parseBrokers(brokers).map(({ host, port }) => `${host}:${port}`);
}

function positiveInt(value, name) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return number;
}

/**
 * True for what a broker that is starting or electing a leader says: connection refused or
 * closed, no controller yet, leader not available. kafkajs marks those retriable, sometimes on
 * the cause of the error it throws.
 */
function isTransient(error) {
  if (!error) return false;
  if (error.name === 'KafkaJSAggregateError') return error.errors.every(isTransient);
  if (error.retriable === true) return true;
  if (['KafkaJSConnectionError', 'KafkaJSNoBrokerAvailableError', 'KafkaJSBrokerNotFound'].includes(error.name)) return true;
  return isTransient(error.cause ?? error.originalError);
}

/** kafkajs wraps per-topic failures in one "Topic creation errors"; name each topic's reason. */
function describe(error) {
  if (error?.name !== 'KafkaJSAggregateError') return error.message;
  return `${error.message}: ${error.errors.map((e) => `${e.topic ?? '?'}: ${e.message}`).join('; ')}`;
}

function missingLeaders(metadata, wanted) {
  const problems = [];
  for (const topic of wanted) {
    const found = metadata.topics.find((t) => t.name === topic);
    if (!found || found.partitions.length === 0) problems.push(`${topic}: no metadata`);
    else if (found.partitions.some((p) => p.leader < 0)) problems.push(`${topic}: partitions without a leader`);
  }
  return problems;
}

async function createMissing(admin, topics, numPartitions, replicationFactor) {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    // Leaders are awaited below with our own deadline, not kafkajs's.
    const created = await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor, configEntries: topicConfig })),
      waitForLeaders: false,
    });
    // false: someone else created all of them between listTopics and here, which is fine.
    if (created) log(`created Kafka topics ${missing.join(', ')} (${numPartitions} partitions, replication ${replicationFactor})`);
  }
  const metadata = await admin.fetchTopicMetadata({ topics });
  for (const topic of metadata.topics) {
    if (existing.has(topic.name) && topic.partitions.length !== numPartitions) {
      log(`note: ${topic.name} exists with ${topic.partitions.length} partitions (a new one would get ${numPartitions})`);
    }
  }
  return missingLeaders(metadata, topics);
}

/**
 * Creates the topics that do not exist, then waits until every partition of every topic has a
 * leader. Retries while the broker is still starting or electing, up to timeoutMs.
 */
export async function ensureTopics(
  brokers = process.env.KAFKA_BROKERS,
  topics = contextTopics,
  {
    partitions = process.env.KAFKA_TOPIC_PARTITIONS ?? 6,
    replicationFactor = process.env.KAFKA_REPLICATION_FACTOR ?? 1,
    timeoutMs = 90_000,
  } = {},
) {
  const numPartitions = positiveInt(partitions, 'KAFKA_TOPIC_PARTITIONS');
  const replicas = positiveInt(replicationFactor, 'KAFKA_REPLICATION_FACTOR');
  // Lazy: this module is also loaded by scripts that run before `npm install`.
  const { default: kafkajs } = await import('kafkajs');
  const kafka = new kafkajs.Kafka({
    clientId: 'homeward-infra',
    brokers: brokerList(brokers),
    // Our own loop below retries and reports; kafkajs's log lines during a broker start are noise.
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  try {
    for (;;) {
      let reason;
      try {
        await admin.connect();
        const problems = await createMissing(admin, topics, numPartitions, replicas);
        if (problems.length === 0) return [...topics];
        reason = problems.join('; ');
      } catch (error) {
        if (!isTransient(error)) throw new Error(describe(error), { cause: error });
        reason = describe(error);
      }
      if (Date.now() > deadline) throw new Error(`Kafka topics not ready after ${timeoutMs} ms: ${reason}`);
      if (Date.now() - lastReport > 5_000) {
        log(`waiting for Kafka topics (${reason})…`);
        lastReport = Date.now();
      }
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics whose names `matches` picks; resolves with their names. */
export async function deleteTopicsMatching(brokers, matches) {
  const { default: kafkajs } = await import('kafkajs');
  const kafka = new kafkajs.Kafka({ clientId: 'homeward-infra', brokers: brokerList(brokers), logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const doomed = (await admin.listTopics()).filter(matches);
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 30_000 });
    return doomed;
  } finally {
    await admin.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureTopics().then(
    (ready) => log(`Kafka topics ready: ${ready.join(', ')}`),
    (error) => {
      console.error(`[homeward] topics: ${error.message}`);
      process.exit(1);
    },
  );
}
