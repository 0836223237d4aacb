// The Kafka half of the write path. Relay: the OutboxRelay draining the append benchmark's outbox,
// beside a raw kafkajs producer (same settings as libs/messaging: idempotent, one in flight,
// acks=all) sending the same messages, already encoded, in the same batches. Consumer: a
// ConsumerRunner applying the relayed events to a document read model, beside a raw kafkajs
// consumer that only reads the same topic.
import {
  ConsumerRunner,
  OutboxRelay,
  applyToDocuments,
  documentTableSql,
  eventColumns,
  openDatabase,
  rowToEnvelope,
} from '@homeward/eventsourcing';
import { cloudEventHeaders, createKafkaBroker, encodeEventValue } from '@homeward/messaging';
import { POOL_SIZE, migrations } from './append.mjs';
import { ROUNDS, brokers, createDatabase, createTopic, kafka, median, now, perSecond, prefix, say, size, waitFor } from './kit.mjs';

const RELAY_BATCH = 500; // OutboxRelay's default, which every service uses

export const releasesProjection = {
  name: 'bench_releases',
  handles: ['PrisonerReleased'],
  idOf: (event) => event.subject,
  evolve: (doc, event) => ({ releases: (doc?.releases ?? 0) + 1, lastDays: event.data.daysOfSentenceRemaining }),
};

async function outboxMessages(dataSource) {
  const rows = await dataSource.query(
    `SELECT o.position, o.topic, ${eventColumns.split(', ').map((c) => `e.${c}`).join(', ')}
     FROM outbox o JOIN events e ON e.event_id = o.event_id ORDER BY o.position`,
  );
  return rows.map((row) => {
    const event = rowToEnvelope(row);
    return { key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event, row.metadata.traceparent) };
  });
}

async function rawProduce(topic, messages) {
  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const started = now();
    for (let i = 0; i < messages.length; i += RELAY_BATCH) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + RELAY_BATCH) });
    }
    return perSecond(messages.length, now() - started);
  } finally {
    await producer.disconnect();
  }
}

/** Drains the outbox with the OutboxRelay; resolves with events/s. */
async function relayDrain(dataSource, databaseUrl, expected) {
  const broker = createKafkaBroker({ brokers: brokers(), clientId: 'bench-relay' });
  const publisher = await broker.publisher();
  const relay = new OutboxRelay({ dataSource, databaseUrl, publisher, batchSize: RELAY_BATCH });
  try {
    const started = now();
    const drained = await relay.drain();
    const rate = perSecond(drained, now() - started);
    const [{ left }] = await dataSource.query(`SELECT count(*)::int AS left FROM outbox`);
    if (drained !== expected || left !== 0) throw new Error(`relay drained ${drained} of ${expected} outbox rows, ${left} left`);
    return rate;
  } finally {
    await publisher.close();
    await broker.disconnect();
  }
}

/**
 * Keeps a fixed set of the append benchmark's outbox rows, then in interleaved rounds sends them
 * with raw kafkajs and drains them with the relay (refilling the outbox, to a topic per round).
 * Round 0's topic is left for the consumer benchmark.
 */
export async function benchRelay({ dataSource, databaseUrl }) {
  const limit = size(20_000, 2_000);
  await dataSource.query(`DELETE FROM outbox WHERE position NOT IN (SELECT position FROM outbox ORDER BY position LIMIT $1)`, [limit]);
  const ids = (await dataSource.query(`SELECT event_id FROM outbox ORDER BY position`)).map((row) => row.event_id);
  const messages = await outboxMessages(dataSource);
  const rawTopic = `${prefix}.raw-producer`;
  await createTopic(rawTopic);
  const rounds = { raw: [], relay: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const topic = relayTopicOf(round);
    await createTopic(topic);
    if (round === 0) await dataSource.query(`UPDATE outbox SET topic = $1`, [topic]);
    else await dataSource.query(`INSERT INTO outbox (event_id, topic) SELECT id, $2 FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) ORDER BY n`, [ids, topic]);
    rounds.raw.push(await rawProduce(rawTopic, messages));
    rounds.relay.push(await relayDrain(dataSource, databaseUrl, ids.length));
  }
  say(`relay over ${ids.length} events: raw kafkajs ${rounds.raw.map((r) => r.toFixed(0)).join('/')} ev/s, OutboxRelay ${rounds.relay.map((r) => r.toFixed(0)).join('/')} ev/s`);
  return { events: ids.length, rounds, relay: median(rounds.relay), raw: median(rounds.raw), topic: relayTopicOf(0) };
}

export const relayTopicOf = (round) => `${prefix}.relay-${round}`;

/** Reads `topic` from the start with a plain kafkajs consumer; events/s from first batch to last. */
async function rawConsume(topic, expected) {
  const consumer = kafka().consumer({ groupId: `${prefix}.raw-consumer`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = null;
  let last = null;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      first ??= now();
      seen += batch.messages.length;
      last = now();
    },
  });
  try {
    await waitFor(() => seen >= expected, { timeoutMs: 120_000, what: `the raw consumer to read ${expected} messages` });
    return perSecond(seen, last - first);
  } finally {
    await consumer.disconnect();
  }
}

export async function benchConsumer({ topic, expected }) {
  const raw = await rawConsume(topic, expected);
  say(`consumer baseline (raw kafkajs, read only): ${raw.toFixed(0)} events/s`);

  const dataSource = await openDatabase({ url: await createDatabase('consumer'), migrations, poolSize: POOL_SIZE, applicationName: 'bench-consumer' });
  await dataSource.query(documentTableSql(releasesProjection.name));
  const broker = createKafkaBroker({ brokers: brokers(), clientId: 'bench-consumer' });
  let first = null;
  const runner = new ConsumerRunner({
    dataSource,
    broker,
    groupId: 'bench.consumer',
    topics: [topic],
    handle: async (tx, events) => {
      first ??= now();
      await applyToDocuments(tx, releasesProjection, events);
    },
  });
  try {
    await runner.start();
    await waitFor(() => runner.applied >= expected, { timeoutMs: 300_000, what: `the ConsumerRunner to apply ${expected} events` });
    const rate = perSecond(runner.applied, now() - first);
    const [{ releases }] = await dataSource.query(`SELECT coalesce(sum((doc->>'releases')::int), 0)::int AS releases FROM ${releasesProjection.name}`);
    if (releases !== expected) throw new Error(`read model counts ${releases} releases, ${expected} were published`);
    say(`consumer (ConsumerRunner into a read model): ${rate.toFixed(0)} events/s`);
    return { events: expected, consumer: rate, raw };
  } finally {
    await runner.stop();
    await broker.disconnect();
    await dataSource.destroy();
  }
}
