// What each command does against the gateway. `io` is { stdout, stderr, client, sleep, now }:
// stdout carries only results (JSON with --json), stderr carries progress and messages.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { auditBundle, auditKey } from './bundle.mjs';
import { GatewayError, queryString } from './client.mjs';
import { jobProgress, progressBar, progressLine, says, table } from './format.mjs';
import { auditReconcile } from './reconcile.mjs';

// Ids are `<service>:<id>`; the colon is kept readable in the path.
const enc = (value) => encodeURIComponent(value).replaceAll('%3A', ':');
const writeJson = (io, value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const itemsOf = (body) => (Array.isArray(body) ? body : Array.isArray(body?.items) ? body.items : []);

// A job is queued, running, done or failed (proto/homeward/admin/v1/admin.proto).
const DONE_STATES = new Set(['done']);
const FAILED_STATES = new Set(['failed']);

export const jobIdOf = (job) => job?.jobId ?? job?.id;

/**
 * Polls a job until it is done or failed, drawing progress on stderr: a bar redrawn in place on a
 * terminal, a plain line every `logEveryMs` otherwise. Returns the last job document.
 */
export async function followJob(io, job, label, { intervalMs = 500, logEveryMs = 5000 } = {}) {
  const jobId = jobIdOf(job);
  if (!jobId) throw new GatewayError('the gateway did not return a job id');
  const tty = Boolean(io.stderr.isTTY);
  let lastLog = -Infinity;
  let current = job;
  for (;;) {
    current = await io.client.json('GET', `/v1/admin/jobs/${enc(jobId)}`);
    const state = jobProgress(current).state.toLowerCase();
    const finished = DONE_STATES.has(state) || FAILED_STATES.has(state);
    if (tty) {
      io.stderr.write(`\r\x1b[2K${progressBar(label, current, io.stderr.columns ?? 80)}${finished ? '\n' : ''}`);
    } else if (finished || io.now() - lastLog >= logEveryMs) {
      io.stderr.write(`${progressLine(label, current)}\n`);
      lastLog = io.now();
    }
    if (finished) return { job: current, ok: DONE_STATES.has(state) };
    await io.sleep(intervalMs);
  }
}

async function startedJob(io, command, job, label) {
  const { json, wait } = command.options;
  if (!wait) {
    if (json) writeJson(io, job);
    else io.stdout.write(says`${label}: job ${jobIdOf(job) ?? '?'} ${jobProgress(job).state}; follow it with --wait\n`);
    return 0;
  }
  const { job: last, ok } = await followJob(io, job, label);
  if (json) writeJson(io, last);
  else io.stdout.write(says`${label}: job ${jobIdOf(last)} ${jobProgress(last).state} (${jobProgress(last).done} events)\n`);
  if (!ok) {
    const reason = last.errorCode ?? last.error;
    io.stderr.write(says`homeward: ${label} failed${reason ? `: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}` : ''}\n`);
    return 1;
  }
  return 0;
}

/** Services that did not answer a question asked of all of them: named on stderr, not fatal. */
function warnUnavailable(io, body) {
  const unavailable = Array.isArray(body?.unavailable) ? body.unavailable : [];
  if (unavailable.length > 0) io.stderr.write(says`homeward: no answer from ${unavailable.join(', ')}; their rows are missing\n`);
}

/**
 * How far a read model is behind: its own lag when the gateway gives one, else 0 for an inline
 * projection (written in the command's transaction) and "-" when it is unknown.
 */
export function lagOf(projection) {
  if (projection.lag !== undefined && projection.lag !== null) return projection.lag;
  return projection.kind === 'inline' ? 0 : undefined;
}

export async function projections(io, command) {
  const body = await io.client.json('GET', '/v1/admin/projections');
  warnUnavailable(io, body);
  if (command.options.json) return (writeJson(io, body), 0);
  const items = itemsOf(body);
  if (items.length === 0) return (io.stdout.write('no projections\n'), 0);
  io.stdout.write(
    table(items, [
      'service',
      'name',
      'kind',
      'state',
      { key: 'lag', label: 'LAG', value: lagOf },
      {
        key: 'position',
        label: 'POSITION',
        value: (p) => p.position ?? (p.checkpoints ?? []).map((c) => `${c.partition}:${c.offset}`).join(','),
      },
      'rows',
    ]),
  );
  return 0;
}

export async function rebuild(io, command) {
  const { service, name } = command.positionals;
  const job = await io.client.json('POST', `/v1/admin/projections/${enc(service)}/${enc(name)}/rebuild`, { body: {} });
  return startedJob(io, command, job, `rebuild ${service}/${name}`);
}

export async function replay(io, command) {
  const { service } = command.positionals;
  const { stream, from, to } = command.options;
  const body = stream === undefined ? { service, from, to } : { service, streamId: stream };
  const job = await io.client.json('POST', '/v1/admin/replays', { body });
  return startedJob(io, command, job, `replay ${service}${stream === undefined ? ` ${from}..${to}` : ` ${stream}`}`);
}

export async function deadLetters(io, command) {
  const body = await io.client.json('GET', '/v1/admin/dead-letters');
  warnUnavailable(io, body);
  if (command.options.json) return (writeJson(io, body), 0);
  const items = itemsOf(body);
  if (items.length === 0) return (io.stdout.write('no dead letters\n'), 0);
  io.stdout.write(
    table(items, [
      { key: 'deadLetterId', label: 'ID' },
      { key: 'group', label: 'GROUP' },
      { key: 'eventType', label: 'EVENT' },
      { key: 'attempts', label: 'ATTEMPTS' },
      { key: 'createdAt', label: 'FAILED AT' },
      { key: 'retriedAt', label: 'RETRIED AT' },
      {
        key: 'error',
        label: 'ERROR',
        value: (d) =>
          String(d.error ?? '')
            .split('\n')[0]
            .slice(0, 80),
      },
    ]),
  );
  return 0;
}

export async function retryDeadLetter(io, command) {
  const { id } = command.positionals;
  const answer = await io.client.json('POST', `/v1/admin/dead-letters/${enc(id)}/retry`, { body: {} });
  if (command.options.json) writeJson(io, answer);
  else io.stdout.write(says`dead letter ${id}: ${answer?.outcome ?? 'retried'}\n`);
  return 0;
}

/** The broken streams of a verification answer, for one stream or a whole source. */
export function brokenChains(result) {
  if (Array.isArray(result?.broken)) return result.broken;
  if (result?.valid === false || result?.firstBroken) return [result];
  return [];
}

export async function auditVerify(io, command) {
  const { stream, source, json } = command.options;
  const result = await io.client.json('GET', `/v1/audit/verify${queryString(stream === undefined ? { source } : { streamId: stream })}`);
  const broken = brokenChains(result);
  if (json) writeJson(io, result);
  const subject = stream === undefined ? `source ${source}` : `stream ${stream}`;
  if (broken.length === 0) {
    if (!json) {
      const streams = result.streamsChecked === undefined ? '' : `${result.streamsChecked} streams, `;
      io.stdout.write(says`${subject}: chain intact (${streams}${result.eventsChecked ?? '?'} events checked)\n`);
    }
    return 0;
  }
  for (const chain of broken) {
    const first = chain.firstBroken ?? {};
    const where = `event ${first.eventId ?? '?'} (stream ${chain.streamId ?? stream ?? '?'}, version ${first.streamVersion ?? '?'})`;
    io.stderr.write(says`homeward: ${subject}: chain broken at ${where}: ${first.reason ?? 'unknown reason'}\n`);
  }
  return 1;
}

export async function auditExport(io, command) {
  const { person, stream, type, from, to, output } = command.options;
  const path = `/v1/audit/events/export${queryString({ personId: person, streamId: stream, type, from, to })}`;
  const response = await io.client.stream('GET', path, { accept: 'application/x-ndjson' });
  const out = output === undefined ? io.stdout : createWriteStream(output);
  if (out !== io.stdout) {
    try {
      await once(out, 'open');
    } catch (error) {
      throw new GatewayError(`cannot write ${output}: ${error.code ?? error.message}`);
    }
  }
  const tty = Boolean(io.stderr.isTTY);
  let lines = 0;
  let lastReport = io.now();
  const report = (final) => {
    if (tty) io.stderr.write(`\r\x1b[2Kexported ${lines} events${final ? '\n' : ''}`);
    else io.stderr.write(`exported ${lines} events${final ? '' : ' so far'}\n`);
  };
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        const buffer = Buffer.from(chunk);
        for (const byte of buffer) if (byte === 10) lines += 1;
        if (!out.write(buffer)) await once(out, 'drain');
        if (io.now() - lastReport >= (tty ? 200 : 5000)) {
          report(false);
          lastReport = io.now();
        }
      }
    }
  } catch (error) {
    // The gateway cuts the stream when the export fails half-way: never pass it off as whole.
    if (out !== io.stdout) out.end();
    if (tty) io.stderr.write('\n');
    throw new GatewayError(
      `the export was cut off after ${lines} events (${error?.cause?.code ?? error?.message ?? 'stream error'}); ` +
        `${output === undefined ? 'the output' : output} is incomplete`,
    );
  }
  if (out !== io.stdout) {
    out.end();
    await once(out, 'finish');
  }
  report(true);
  return 0;
}

export const handlers = {
  projections,
  rebuild,
  replay,
  'dead-letters list': deadLetters,
  'dead-letters retry': retryDeadLetter,
  'audit verify': auditVerify,
  'audit export': auditExport,
  'audit key': auditKey,
  'audit bundle': auditBundle,
  'audit reconcile': auditReconcile,
};
