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
  outboxEventsJoin,
  rowToEnvelope,
} from '@homeward/eventsourcing';
import { cloudEventHeaders, createKafkaBroker, encodeEventValue } from '@homeward/messaging';
import { POOL_SIZE, migrations } from './append.mjs';
import { brokers, createDatabase, createTopic, kafka, median, now, perSecond, prefix, say, size, waitFor } from './kit.mjs';

const RELAY_BATCH = 500; // OutboxRelay's default, which every service uses
// A round of each is a second or so, and one round's figure moves by a sixth on a busy machine:
// five interleaved rounds give a steadier median than the three of the longer benchmarks.
const RELAY_ROUNDS = 5;

export const releasesProjection = {
  name: 'bench_releases',
  handles: ['PrisonerReleased'],
  idOf: (event) => event.subject,
  evolve: (doc, event) => ({ releases: (doc?.releases ?? 0) + 1, lastDays: event.data.daysOfSentenceRemaining }),
};

async function outboxMessages(dataSource) {
  const rows = await dataSource.query(
    `SELECT o.position, o.topic, ${eventColumns
      .split(', ')
      .map((c) => `e.${c}`)
      .join(', ')}
     FROM outbox o ${outboxEventsJoin} ORDER BY o.position, e.stream_version`,
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
    if (drained !== expected || left !== 0)
      throw new Error(`relay drained ${drained} of ${expected} queued events, ${left} outbox rows left`);
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
  // The first `limit` queued events, as the appends queued them (the last one cut to fit).
  await dataSource.query(
    `WITH queued AS (
       SELECT position, sum(to_version - from_version + 1) OVER (ORDER BY position) AS upto, to_version - from_version + 1 AS n
       FROM outbox),
     beyond AS (DELETE FROM outbox WHERE position IN (SELECT position FROM queued WHERE upto - n >= $1))
     UPDATE outbox o SET to_version = o.to_version - (q.upto - $1)
     FROM queued q
     WHERE q.position = o.position AND q.upto > $1 AND q.upto - q.n < $1`,
    [limit],
  );
  const appends = await dataSource.query(`SELECT stream_id, from_version, to_version FROM outbox ORDER BY position`);
  const events = appends.reduce((sum, range) => sum + range.to_version - range.from_version + 1, 0);
  const messages = await outboxMessages(dataSource);
  const rawTopic = `${prefix}.raw-producer`;
  await createTopic(rawTopic);
  const rounds = { raw: [], relay: [] };
  for (let round = 0; round < RELAY_ROUNDS; round += 1) {
    const topic = relayTopicOf(round);
    await createTopic(topic);
    if (round === 0) await dataSource.query(`UPDATE outbox SET topic = $1`, [topic]);
    else {
      await dataSource.query(
        `INSERT INTO outbox (stream_id, from_version, to_version, topic)
         SELECT r.stream_id, r.from_version, r.to_version, $2
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (stream_id text, from_version int, to_version int))
              WITH ORDINALITY AS r(stream_id, from_version, to_version, n)
         ORDER BY r.n`,
        [JSON.stringify(appends), topic],
      );
    }
    rounds.raw.push(await rawProduce(rawTopic, messages));
    rounds.relay.push(await relayDrain(dataSource, databaseUrl, events));
  }
  say(
    `relay over ${events} events (${appends.length} appends): raw kafkajs ${rounds.raw.map((r) => r.toFixed(0)).join('/')} ev/s, ` +
      `OutboxRelay ${rounds.relay.map((r) => r.toFixed(0)).join('/')} ev/s`,
  );
  return { events, appends: appends.length, rounds, relay: median(rounds.relay), raw: median(rounds.raw), topic: relayTopicOf(0) };
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

  const dataSource = await openDatabase({
    url: await createDatabase('consumer'),
    migrations,
    poolSize: POOL_SIZE,
    applicationName: 'bench-consumer',
  });
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
    const [{ releases }] = await dataSource.query(
      `SELECT coalesce(sum((doc->>'releases')::int), 0)::int AS releases FROM ${releasesProjection.name}`,
    );
    if (releases !== expected) throw new Error(`read model counts ${releases} releases, ${expected} were published`);
    say(`consumer (ConsumerRunner into a read model): ${rate.toFixed(0)} events/s`);
    return { events: expected, consumer: rate, raw };
  } finally {
    await runner.stop();
    await broker.disconnect();
    await dataSource.destroy();
  }
}
