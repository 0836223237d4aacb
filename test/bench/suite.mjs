// Runs every benchmark in turn (each beside its baseline, on the same server, in the same run),
// then prints the table and writes results/latest.json. A benchmark that fails leaves a
// "not measured" row saying why; the others still run. Everything of this run is dropped at the end.
import os from 'node:os';
import { benchAppend, WRITERS } from './lib/append.mjs';
import { benchConsumer, benchRelay } from './lib/kafka-path.mjs';
import { cleanUp, now, prefix, quick, say } from './lib/kit.mjs';
import { figure, machine, printTable, resultsFile, writeResults } from './lib/report.mjs';
import { benchRebuild } from './lib/rebuild.mjs';
import { CONNECTIONS, NOOP_ROUTE, RATE, benchSystem } from './lib/system.mjs';
import { COPY_BATCH, PROOF_ROUNDS, benchLogVersusCopy, benchProofs } from './lib/transparency.mjs';

/** BENCH_ONLY=store,system,rebuild,transparency (any of them) runs those parts only: for working on one figure. */
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((part) => part.trim()) : null;
const wanted = (part) => !only || only.includes(part);

const atLeastRatio = (value) => ({ kind: 'ratio-at-least', value, text: `≥ ${value}× baseline` });
const reason = (error) => (error?.message ?? String(error)).split('\n')[0].slice(0, 160);
const missing = (names, error) => names.map((name) => figure({ name, missing: reason(error) }));

function appendRows(append) {
  return append.results.flatMap((shape) => {
    const name = `append ${shape.name}, ${WRITERS} writers`;
    return [
      figure({
        name: `${name} vs raw pg`,
        value: shape.homeward,
        unit: 'ev/s',
        baseline: shape.raw,
        baselineLabel: 'raw pg',
        target: atLeastRatio(0.7),
      }),
      figure({
        name: `${name} vs Emmett`,
        value: shape.homeward,
        unit: 'ev/s',
        baseline: shape.emmett,
        baselineLabel: 'Emmett',
        target: atLeastRatio(1),
      }),
      figure({
        name: `  (diagnostic) raw pg + pg_notify, ${shape.name}`,
        value: shape.rawNotify,
        unit: 'ev/s',
        baseline: shape.raw,
        baselineLabel: 'raw pg',
      }),
    ];
  });
}

function systemRows({ propagation, commands, noop, rss }) {
  const noopLabel = `${NOOP_ROUTE} (no-op)`;
  return [
    figure({
      name: `gateway POST /v1/people, ${CONNECTIONS} conns`,
      value: commands.requestsPerSecond,
      unit: 'req/s',
      baseline: noop.answersPerSecond,
      baselineLabel: noopLabel,
      target: { kind: 'at-least', value: 1000, text: '≥ 1,000 req/s' },
    }),
    figure({ name: 'gateway command latency p50', value: commands.p50, unit: 'ms', baseline: noop.p50, baselineLabel: noopLabel }),
    figure({
      name: 'gateway command latency p99',
      value: commands.p99,
      unit: 'ms',
      baseline: noop.p99,
      baselineLabel: noopLabel,
      target: { kind: 'below', value: 50, text: '< 50 ms' },
    }),
    figure({
      name: 'gateway load: answers not 201, errors',
      value: commands.non2xx + commands.errors,
      unit: '',
      target: { kind: 'below', value: 1, text: '0' },
    }),
    figure({
      name: `propagation p50, ${RATE}/s asked, ${propagation.acceptedRate.toFixed(0)}/s accepted (intake → audit)`,
      value: propagation.p50,
      unit: 'ms',
    }),
    figure({
      name: `propagation p99, ${RATE}/s asked, ${propagation.acceptedRate.toFixed(0)}/s accepted (intake → audit)`,
      value: propagation.p99,
      unit: 'ms',
      target: { kind: 'below', value: 150, text: '< 150 ms' },
    }),
    figure({
      name: `propagation: commands not answered 201, of ${propagation.commands}`,
      value: propagation.failed,
      unit: '',
      target: { kind: 'below', value: 1, text: '0' },
    }),
    figure({
      name: 'propagation: answered 201, not in audit after 60 s',
      value: propagation.acceptedNotVisible,
      unit: '',
      target: { kind: 'below', value: 1, text: '0' },
    }),
    ...Object.entries(rss).map(([service, mib]) => figure({ name: `peak RSS ${service}`, value: mib, unit: 'MiB' })),
  ];
}

const count = (n) => n.toLocaleString('en-US');

const rebuildRows = (rebuild) => [
  figure({
    name: `rebuild ${count(rebuild.events)} events (ServiceOperations)`,
    value: rebuild.rebuild,
    unit: 'ev/s',
    baseline: rebuild.raw,
    baselineLabel: 'raw keyset scan',
    target: { kind: 'at-least', value: 20_000, text: '≥ 20,000 ev/s' },
  }),
];

function logVersusCopyRows(log) {
  const copy = `audit copy (ConsumerRunner + copyEvents from Kafka, ~${log.eventsPerTransaction.toFixed(0)} ev/tx)`;
  return [
    figure({
      name: `tlog leaves appended during audit's copy, ${count(log.events)} events × ${log.rounds.kafka.length}`,
      value: log.leafRate,
      unit: 'ev/s',
      baseline: log.copyRate,
      baselineLabel: copy,
    }),
    figure({
      name:
        `tlog lag behind the copy, max (${log.lagLeaves} leaves; ` +
        `sampled every ~${log.sampleEveryMs.toFixed(0)} ms + each leaf's commit)`,
      value: log.lagMs,
      unit: 'ms',
      baseline: log.checkpointIntervalMs,
      baselineLabel: 'checkpoint interval',
      target: { kind: 'ratio-at-most', value: 1, text: '≤ 1 checkpoint interval' },
    }),
    figure({
      name: `  (diagnostic) appendToLog alone, ${COPY_BATCH}/tx (one more in a copy tx adds ${(log.appendAdds * 100).toFixed(0)} % to it)`,
      value: log.directAppend,
      unit: 'ev/s',
      baseline: log.directCopy,
      baselineLabel: `copyEvents ${COPY_BATCH}/tx, log included`,
    }),
  ];
}

function proofRows(proofs) {
  const read = 'one indexed read of tlog_nodes, same round';
  const spread = ({ min, max }) => `rounds ${min.toFixed(2)}–${max.toFixed(2)}×`;
  return [
    figure({
      name: `inclusion proof at ${count(proofs.leaves)} leaves, median of ${PROOF_ROUNDS} rounds (${spread(proofs.inclusion)})`,
      value: proofs.inclusion.proof,
      unit: 'µs',
      baseline: proofs.inclusion.read,
      baselineLabel: read,
      target: { kind: 'ratio-at-most', value: 3, text: '≤ 3× baseline' },
    }),
    figure({
      name: `  (diagnostic) the inclusion proof's one query alone, ${proofs.batchedRead.hashes} hashes (${spread(proofs.batchedRead)})`,
      value: proofs.batchedRead.proof,
      unit: 'µs',
      baseline: proofs.batchedRead.read,
      baselineLabel: read,
    }),
    figure({
      name: `  (informational) consistency proof m → ${count(proofs.leaves)} (${spread(proofs.consistency)})`,
      value: proofs.consistency.proof,
      unit: 'µs',
      baseline: proofs.consistency.read,
      baselineLabel: read,
    }),
  ];
}

export async function runSuite() {
  const startedAt = new Date().toISOString();
  const t0 = now();
  // ConsumerRunner and topicOf read these; the system under test gets the same values.
  process.env.KAFKA_GROUP_PREFIX = `${prefix}.`;
  say(`run ${prefix}${quick ? ' (BENCH_QUICK: smoke sizes, not figures)' : ''}`);
  const machineInfo = await machine();
  const rows = [];
  const details = {};
  try {
    let appendDs = null;
    if (wanted('store'))
      try {
        const append = await benchAppend({ topic: `${prefix}.relay` });
        appendDs = append.dataSource;
        details.append = append.results;
        rows.push(...appendRows(append));
      } catch (error) {
        rows.push(...missing(['event-store append'], error));
      }

    let relayed = null;
    if (wanted('store'))
      try {
        if (!appendDs) throw new Error('no outbox to drain (the append benchmark failed)');
        const relay = await benchRelay({ dataSource: appendDs, databaseUrl: appendDs.options.url });
        relayed = relay;
        details.relay = relay;
        rows.push(
          figure({
            name: 'outbox relay to Kafka (batches of 500)',
            value: relay.relay,
            unit: 'ev/s',
            baseline: relay.raw,
            baselineLabel: 'raw kafkajs producer',
            target: atLeastRatio(0.7),
          }),
        );
      } catch (error) {
        rows.push(...missing(['outbox relay to Kafka'], error));
      } finally {
        await appendDs?.destroy();
      }

    if (wanted('store'))
      try {
        if (!relayed) throw new Error('no relayed topic to consume (the relay benchmark failed)');
        const consumer = await benchConsumer({ topic: relayed.topic, expected: relayed.events });
        details.consumer = consumer;
        rows.push(
          figure({
            name: 'consumer projection (ConsumerRunner)',
            value: consumer.consumer,
            unit: 'ev/s',
            baseline: consumer.raw,
            baselineLabel: 'raw kafkajs consumer, read only',
          }),
        );
      } catch (error) {
        rows.push(...missing(['consumer projection'], error));
      }

    /** A benchmark that needs no other: its figures, or "not measured" rows naming why. */
    const part = async (name, key, bench, toRows, missingNames) => {
      if (!wanted(name)) return;
      try {
        const result = await bench();
        details[key] = result;
        rows.push(...toRows(result));
      } catch (error) {
        rows.push(...missing(missingNames, error));
      }
    };
    await part('system', 'system', benchSystem, systemRows, ['gateway commands', 'propagation', 'peak RSS of the services']);
    await part('rebuild', 'rebuild', benchRebuild, rebuildRows, ['rebuild']);
    await part('transparency', 'transparencyLogVersusCopy', benchLogVersusCopy, logVersusCopyRows, ['transparency log vs audit copy']);
    await part('transparency', 'transparencyProofs', benchProofs, proofRows, ['transparency log proofs']);
  } finally {
    await cleanUp().catch((error) => say(`clean-up failed: ${reason(error)}`));
  }

  const seconds = Math.round((now() - t0) / 1000);
  machineInfo.loadAverageAtEnd = os.loadavg().map((load) => Math.round(load * 100) / 100);
  printTable(rows);
  say(
    `machine: ${machineInfo.cpus} × ${machineInfo.cpuModel}, ${machineInfo.memoryGiB} GiB, ` +
      `Node ${machineInfo.node}, PostgreSQL ${machineInfo.postgres}; ` +
      `load ${machineInfo.loadAverageAtStart[0]} at start, ${machineInfo.loadAverageAtEnd[0]} at end; ${seconds} s`,
  );
  writeResults({ rows, machineInfo, startedAt, seconds, details });
  say(`written ${resultsFile}`);
}
