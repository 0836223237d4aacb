// The transparency log (issue 18) beside what it must keep up with and what it must not cost more than.
// Log vs copy: audit's copy as audit runs it (a ConsumerRunner with copyEvents, inbox off) reading
// hash-chained events from Kafka, while a sampler reads the log's size and the copy's count in one
// snapshot; and appendToLog alone on batches of the copy's size beside copyEvents on the same
// size, the log included (the share of a copy batch the log takes). Proofs: a log of a million
// leaves appended through appendToLog, then inclusion and consistency proofs computed as the
// service computes them (one batched read of stored subtree hashes) beside one indexed read of
// the same table through the same pool.
import { randomUUID } from 'node:crypto';
import { ConsumerRunner, hashEvent, openDatabase, prepared, runPrepared } from '@homeward/eventsourcing';
import { cloudEventHeaders, createKafkaBroker, encodeEventValue } from '@homeward/messaging';
import { consistencyProof, inclusionProof, rootAt, subtreesRead, verifyConsistency, verifyInclusion } from '@homeward/transparency';
import { copyEvents } from '@homeward/audit/dist/copy-events/copy-events.js';
import { auditMigrations } from '@homeward/audit/dist/migrations.js';
import { eventLeaf } from '@homeward/audit/dist/transparency-log/leaves.js';
import { appendToLog, nodesAt, overStoredTree } from '@homeward/audit/dist/transparency-log/log-store.js';
import pg from 'pg';
import { POOL_SIZE, releaseData } from './append.mjs';
import {
  ROUNDS,
  brokers,
  createDatabase,
  createTopic,
  kafka,
  median,
  now,
  percentile,
  perSecond,
  prefix,
  say,
  size,
  sleep,
  timed,
} from './kit.mjs';

/** The service's default (AUDIT_CHECKPOINT_INTERVAL_MS): the lag the issue allows the log. */
export const CHECKPOINT_INTERVAL_MS = Number(process.env.AUDIT_CHECKPOINT_INTERVAL_MS || 5000);
/** ConsumerRunner's chunkSize default: the most events one copy transaction holds. */
export const COPY_BATCH = 500;
export const COPY_EVENTS = size(20_000, 2_000);
const DIRECT_BATCHES = size(20, 4);
const PER_STREAM = 10;
const SAMPLE_EVERY_MS = 10;

export const PROOF_LOG_SIZE = size(1_000_000, 20_000);
const BUILD_BATCH = 5_000;
/** Proof rounds are short: more of them than ROUNDS for a steadier median and an honest spread. */
export const PROOF_ROUNDS = 5;
const PROOF_SAMPLES = size(2_000, 200);

/** Hash-chained PrisonerReleased events, PER_STREAM to a stream, as intake's relay publishes them. */
function chainedEvents(count) {
  const at = new Date().toISOString();
  const events = [];
  while (events.length < count) {
    const personId = randomUUID();
    let prevHash = '';
    for (let version = 1; version <= PER_STREAM && events.length < count; version += 1) {
      const unhashed = {
        eventId: randomUUID(),
        streamId: `person-${personId}`,
        streamVersion: version,
        type: 'PrisonerReleased',
        schemaVersion: 1,
        data: releaseData(personId, version - 1),
        occurredAt: at,
        recordedAt: at,
        actor: 'bench-writer',
        correlationId: randomUUID(),
        causationId: randomUUID(),
        subject: personId,
        source: 'intake',
        prevHash,
      };
      prevHash = hashEvent(unhashed);
      events.push({ ...unhashed, hash: prevHash });
    }
  }
  return events;
}

async function produce(topic, events) {
  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += COPY_BATCH) {
      const messages = events
        .slice(i, i + COPY_BATCH)
        .map((event) => ({ key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event) }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * The log's size and the copy's count, read in one statement: one snapshot, so never torn. Only
 * rows after `afterId` are counted (the round's own: nothing else writes while it runs), so a
 * sample costs the same in the last round as in the first.
 */
async function snapshot(sampler, afterId = '0') {
  const at = now();
  const { rows } = await sampler.query(
    `SELECT (SELECT size FROM tlog_head)::int AS leaves, (SELECT count(*) FROM audit_events WHERE id > $1)::int AS copied,
            (SELECT coalesce(max(id), 0) FROM audit_events)::text AS "lastId"`,
    [afterId],
  );
  return { at, ...rows[0] };
}

/**
 * Copies `events` from a topic of their own with the runner audit runs, sampling the log and the
 * copy until every event is copied. Rates are over the same window (first sample with a copy to
 * the first with all); lag is what the copy held that the log did not, in leaves and in time
 * (until a later sample shows the log caught up).
 */
async function copyFromKafka(dataSource, sampler, round, events) {
  const topic = `${prefix}.tlog-copy-${round}`;
  await createTopic(topic);
  await produce(topic, events);
  const before = await snapshot(sampler);
  const broker = createKafkaBroker({ brokers: brokers(), clientId: 'bench-tlog-copy' });
  const runner = new ConsumerRunner({
    dataSource,
    broker,
    groupId: `bench.tlog-copy-${round}`,
    topics: [topic],
    handle: copyEvents,
    inbox: false,
  });
  const samples = [];
  try {
    await runner.start();
    const deadline = now() + 300_000;
    for (;;) {
      const sample = await snapshot(sampler, before.lastId);
      samples.push({ at: sample.at, copied: sample.copied, leaves: sample.leaves - before.leaves });
      if (sample.copied >= events.length) break;
      if (now() > deadline) throw new Error(`audit's copy took over 300 s for ${events.length} events (${sample.copied} copied)`);
      await sleep(SAMPLE_EVERY_MS);
    }
  } finally {
    await runner.stop();
    await broker.disconnect();
  }
  let lagLeaves = 0;
  let lagMs = 0;
  samples.forEach((sample, i) => {
    const behind = sample.copied - sample.leaves;
    if (behind <= 0) return;
    lagLeaves = Math.max(lagLeaves, behind);
    const caughtUp = samples.slice(i + 1).find((later) => later.leaves >= sample.copied);
    lagMs = Math.max(lagMs, (caughtUp?.at ?? now()) - sample.at);
  });
  // From the first sample with a copy (or the one before it, when that is already the last).
  const firstCopy = samples.findIndex((sample) => sample.copied > 0);
  const start = samples[firstCopy === samples.length - 1 ? Math.max(0, firstCopy - 1) : firstCopy];
  const end = samples[samples.length - 1];
  if (start === end) throw new Error('the copy finished before a second sample: no window to measure a rate over');
  const ms = end.at - start.at;
  // Each event against its leaf: logged_at and copied_at are both the transaction's now(), equal
  // when the leaf was appended in the transaction that copied the event. Leaves must follow the
  // copy's order (audit_events.id).
  const [exact] = await dataSource.query(
    `SELECT count(*)::int AS events, count(l.entry_id)::int AS logged, count(DISTINCT e.copied_at)::int AS transactions,
            coalesce(max(extract(epoch FROM l.logged_at - e.copied_at) * 1000), 0)::float AS "maxMs"
     FROM audit_events e LEFT JOIN tlog_leaves l ON l.entry_id = e.event_id AND l.kind = 'event' WHERE e.topic = $1`,
    [topic],
  );
  const [order] = await dataSource.query(
    `SELECT count(*)::int AS "outOfOrder" FROM (
       SELECT l.leaf_index, lag(l.leaf_index) OVER (ORDER BY e.id) AS previous
       FROM audit_events e JOIN tlog_leaves l ON l.entry_id = e.event_id WHERE e.topic = $1) AS copied
     WHERE previous >= leaf_index`,
    [topic],
  );
  if (exact.logged !== events.length) throw new Error(`${events.length - exact.logged} of ${events.length} copied events have no leaf`);
  if (order.outOfOrder > 0) throw new Error(`${order.outOfOrder} leaves out of the copy's order`);
  return {
    events: events.length,
    copyRate: perSecond(end.copied - start.copied, ms),
    leafRate: perSecond(end.leaves - start.leaves, ms),
    samples: samples.length,
    sampleEveryMs: ms / Math.max(1, samples.length - 1 - samples.indexOf(start)),
    lagLeaves,
    lagMs: Math.max(lagMs, exact.maxMs),
    eventsPerTransaction: exact.events / exact.transactions,
  };
}

/**
 * The log's cost in a copy, two ways, alternating batch by batch (leaf bytes built inside the
 * timing, as the copy builds them): appendToLog alone, COPY_BATCH leaves in a transaction of its
 * own (its own commit, which a copy shares); and what a second COPY_BATCH-leaf append adds to a
 * copyEvents transaction (copy + append − copy: the commit not counted twice), against the copy.
 */
async function copyVersusAppend(dataSource, round) {
  const ms = { copy: 0, copyAndAppend: 0, append: 0 };
  let offset = 0;
  const consumed = () =>
    chainedEvents(COPY_BATCH).map((event) => ({
      ...event,
      position: { topic: `${prefix}.tlog-direct-${round}`, partition: 0, offset: String(offset++) },
    }));
  for (let batch = 0; batch < DIRECT_BATCHES; batch += 1) {
    const [copied, copiedToo, logged, loggedToo] = [consumed(), consumed(), chainedEvents(COPY_BATCH), chainedEvents(COPY_BATCH)];
    const contenders = [
      ['copy', (tx) => copyEvents(tx, copied)],
      [
        'copyAndAppend',
        async (tx) => {
          await copyEvents(tx, copiedToo);
          await appendToLog(tx, loggedToo.map(eventLeaf));
        },
      ],
      ['append', (tx) => appendToLog(tx, logged.map(eventLeaf))],
    ];
    for (let k = 0; k < contenders.length; k += 1) {
      const [name, work] = contenders[(batch + k) % contenders.length];
      ms[name] += (await timed(() => dataSource.transaction(work))).ms;
    }
  }
  const events = DIRECT_BATCHES * COPY_BATCH;
  return {
    copy: perSecond(events, ms.copy),
    append: perSecond(events, ms.append),
    appendAdds: (ms.copyAndAppend - ms.copy) / ms.copy,
    ownShare: ms.append / ms.copy,
  };
}

/** The round whose `key` is the median (ROUNDS and PROOF_ROUNDS are odd: a real round). */
const medianOf = (rounds, key) => [...rounds].sort((a, b) => key(a) - key(b))[Math.floor(rounds.length / 2)];

export async function benchLogVersusCopy() {
  const url = await createDatabase('tlog_copy');
  const dataSource = await openDatabase({ url, migrations: auditMigrations, poolSize: POOL_SIZE, applicationName: 'bench-tlog-copy' });
  const sampler = new pg.Client({ connectionString: url, application_name: 'bench-tlog-sampler' });
  await sampler.connect();
  try {
    await copyVersusAppend(dataSource, 'warm-up');
    const rounds = { kafka: [], direct: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.kafka.push(await copyFromKafka(dataSource, sampler, round, chainedEvents(COPY_EVENTS)));
      rounds.direct.push(await copyVersusAppend(dataSource, round));
    }
    // A median round, so that a ratio is one round's two figures side by side: the copy's median
    // (its leaves were counted over the same window), the direct contenders' median ratio.
    const kafka = medianOf(rounds.kafka, (r) => r.copyRate);
    const direct = medianOf(rounds.direct, (r) => r.append / r.copy);
    const [{ breaks }] = await dataSource.query(`SELECT count(*)::int AS breaks FROM chain_breaks`);
    const list = (values, digits = 0) => values.map((v) => v.toFixed(digits)).join('/');
    const perTransaction = median(rounds.kafka.map((r) => r.eventsPerTransaction)).toFixed(0);
    const ofKafka = (key, digits) => {
      const values = rounds.kafka.map((r) => r[key]);
      return list(values, digits);
    };
    const ofDirect = (key, scale = 1) => list(rounds.direct.map((r) => r[key] * scale));
    say(
      `tlog vs copy (Kafka, ${COPY_EVENTS} events a round, ~${perTransaction} per transaction): copy ${ofKafka('copyRate')} ev/s, ` +
        `leaves ${ofKafka('leafRate')}/s, max lag ${ofKafka('lagLeaves')} leaves / ${ofKafka('lagMs', 1)} ms ` +
        `over ${ofKafka('samples')} samples; chain breaks ${breaks}`,
    );
    say(
      `tlog vs copy (direct, ${COPY_BATCH}/tx): copyEvents ${ofDirect('copy')} ev/s, appendToLog alone ${ofDirect('append')} leaves/s, ` +
        `a second append in a copy transaction adds ${ofDirect('appendAdds', 100)} % to it ` +
        `(alone, in its own transaction: ${ofDirect('ownShare', 100)} % of a copy's time)`,
    );
    return {
      events: COPY_EVENTS,
      checkpointIntervalMs: CHECKPOINT_INTERVAL_MS,
      rounds,
      chainBreaks: breaks,
      copyRate: kafka.copyRate,
      leafRate: kafka.leafRate,
      eventsPerTransaction: kafka.eventsPerTransaction,
      lagLeaves: Math.max(...rounds.kafka.map((r) => r.lagLeaves)),
      lagMs: Math.max(...rounds.kafka.map((r) => r.lagMs)),
      sampleEveryMs: median(rounds.kafka.map((r) => r.sampleEveryMs)),
      directCopy: direct.copy,
      directAppend: direct.append,
      appendAdds: median(rounds.direct.map((r) => r.appendAdds)),
    };
  } finally {
    await sampler.end();
    await dataSource.destroy();
  }
}

// About the size of an event's leaf; what the bytes say does not change a proof's reads.
const syntheticLeaf = (index) =>
  Buffer.from(
    `{"entry":{"eventId":"bench-${index}","data":{"daysOfSentenceRemaining":${index % 365}},` +
      `"padding":"${'x'.repeat(400)}"},"kind":"event"}`,
  );

/** Appends `total` leaves through appendToLog, BUILD_BATCH per transaction; resolves with leaves/s. */
async function buildLog(dataSource, total) {
  const started = now();
  for (let start = 0; start < total; start += BUILD_BATCH) {
    const entries = Array.from({ length: Math.min(BUILD_BATCH, total - start) }, (_, k) => ({
      kind: 'event',
      entryId: randomUUID(),
      bytes: syntheticLeaf(start + k),
    }));
    await dataSource.transaction((tx) => appendToLog(tx, entries));
  }
  const rate = perSecond(total, now() - started);
  await dataSource.query('ANALYZE tlog_nodes');
  await dataSource.query('ANALYZE tlog_leaves');
  return rate;
}

const randomBelow = (n) => Math.floor(Math.random() * n);
const pointRead = prepared('bench_tlog_leaf_hash', 'SELECT hash FROM tlog_nodes WHERE level = 0 AND idx = $1');

export async function benchProofs() {
  const n = PROOF_LOG_SIZE;
  const url = await createDatabase('tlog_proofs');
  const dataSource = await openDatabase({ url, migrations: auditMigrations, poolSize: POOL_SIZE, applicationName: 'bench-tlog-proofs' });
  try {
    const buildRate = await buildLog(dataSource, n);
    say(`tlog: appended ${n} leaves through appendToLog (${BUILD_BATCH}/tx) at ${buildRate.toFixed(0)} leaves/s`);
    // As ProofsController computes them: one batched read of stored hashes, then the proof.
    const inclusionOf = (i) => (hashAt) => ({ leaf: hashAt(0, i), path: inclusionProof(i, n, hashAt) });
    const ops = {
      read: (i) => runPrepared(dataSource, pointRead, [i]),
      inclusion: (i) => overStoredTree(dataSource, inclusionOf(i)),
      consistency: (i) => overStoredTree(dataSource, (hashAt) => consistencyProof(1 + (i % (n - 1)), n, hashAt)),
      // Diagnostic: the inclusion proof's one query alone (its coordinates found before the clock starts).
      batchedRead: (_, coordinates) => nodesAt(dataSource, coordinates),
    };

    // What is timed must be right: proofs checked against the root, the read against the proof's leaf.
    const root = await overStoredTree(dataSource, (hashAt) => rootAt(n, hashAt));
    for (let k = 0; k < 20; k += 1) {
      const i = randomBelow(n);
      const { leaf, path } = await ops.inclusion(i);
      const [row] = await ops.read(i);
      if (!verifyInclusion(leaf, i, n, path, root) || !Buffer.from(leaf).equals(row.hash))
        throw new Error(`the inclusion proof of leaf ${i} at ${n} does not verify`);
      const m = 1 + (i % (n - 1));
      const rootM = await overStoredTree(dataSource, (hashAt) => rootAt(m, hashAt));
      if (!verifyConsistency(m, n, await ops.consistency(i), rootM, root))
        throw new Error(`the consistency proof ${m} → ${n} does not verify`);
    }
    for (let k = 0; k < 200; k += 1) {
      const i = randomBelow(n);
      for (const op of Object.values(ops)) await op(i, subtreesRead(inclusionOf(i))); // plans, pool, caches
    }

    // Interleaved: each sample runs every op on the same random leaf, in an order that rotates.
    const names = Object.keys(ops);
    const rounds = [];
    for (let round = 0; round < PROOF_ROUNDS; round += 1) {
      const times = Object.fromEntries(names.map((name) => [name, []]));
      const reads = [];
      for (let k = 0; k < PROOF_SAMPLES; k += 1) {
        const i = randomBelow(n);
        const coordinates = subtreesRead(inclusionOf(i));
        reads.push(coordinates.length);
        for (let j = 0; j < names.length; j += 1) {
          const name = names[(k + j) % names.length];
          const started = now();
          await ops[name](i, coordinates);
          times[name].push((now() - started) * 1000);
        }
      }
      const summary = Object.fromEntries(
        names.map((name) => [name, { p50: median(times[name]), p90: percentile(times[name], 90), p99: percentile(times[name], 99) }]),
      );
      rounds.push({
        ...summary,
        hashesRead: median(reads),
        inclusionRatio: summary.inclusion.p50 / summary.read.p50,
        consistencyRatio: summary.consistency.p50 / summary.read.p50,
        batchedReadRatio: summary.batchedRead.p50 / summary.read.p50,
      });
    }
    // Each figure is its median round (by ratio), so the ratio printed is that round's: proof and
    // read timed side by side, never a median of one set over a median of another.
    const medianRound = (key, timed) => {
      const middle = medianOf(rounds, (r) => r[key]);
      const ratios = rounds.map((r) => r[key]);
      return { proof: middle[timed].p50, read: middle.read.p50, ratio: middle[key], min: Math.min(...ratios), max: Math.max(...ratios) };
    };
    const result = {
      leaves: n,
      buildRate,
      samplesPerRound: PROOF_SAMPLES,
      rounds,
      inclusion: medianRound('inclusionRatio', 'inclusion'),
      consistency: medianRound('consistencyRatio', 'consistency'),
      batchedRead: { ...medianRound('batchedReadRatio', 'batchedRead'), hashes: median(rounds.map((r) => r.hashesRead)) },
    };
    const list = (key) => rounds.map((r) => r[key].p50.toFixed(0)).join('/');
    say(
      `tlog proofs at ${n} leaves, ${PROOF_SAMPLES} samples × ${PROOF_ROUNDS} rounds, medians µs: read ${list('read')}, ` +
        `inclusion ${list('inclusion')} (its query alone ${list('batchedRead')}, ${result.batchedRead.hashes} hashes), ` +
        `consistency ${list('consistency')}`,
    );
    return result;
  } finally {
    await dataSource.destroy();
  }
}
