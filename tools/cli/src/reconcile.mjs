// `homeward audit reconcile`: starts a reconciliation of each context's store with audit's copy
// on the gateway (POST /v1/admin/reconciliations), follows it to the end, and prints per context
// the streams and events compared and what is missing, extra or different, then the first event
// ids of each kind. Exit 0 when clean, 1 when anything differs or a context could not be read.
import { says, table } from './format.mjs';

const kinds = ['missing', 'extra', 'different'];

const streamsSoFar = (run) => (run.contexts ?? []).reduce((sum, context) => sum + (Number(context.streams) || 0), 0);

/** Polls the run until it is done; a plain progress line on stderr every `logEveryMs`, or a line redrawn on a terminal. */
async function followRun(io, run, { intervalMs = 500, logEveryMs = 5000 } = {}) {
  const tty = Boolean(io.stderr.isTTY);
  let lastLog = io.now();
  let current = run;
  while (current.state !== 'done') {
    await io.sleep(intervalMs);
    current = await io.client.json('GET', `/v1/admin/reconciliations/${encodeURIComponent(run.reconciliationId)}`);
    const line = says`reconciliation ${run.reconciliationId}: ${current.state ?? 'unknown'}, ${streamsSoFar(current)} streams compared`;
    if (tty) io.stderr.write(`\r\x1b[2K${line}${current.state === 'done' ? '\n' : ''}`);
    else if (current.state === 'done' || io.now() - lastLog >= logEveryMs) {
      io.stderr.write(`${line}\n`);
      lastLog = io.now();
    }
  }
  return current;
}

/** A context is clean when it was read whole and nothing is missing, extra or different. */
export const contextClean = (context) => context.state === 'done' && kinds.every((kind) => Number(context[kind]) === 0);

export async function auditReconcile(io, command) {
  const { context, json } = command.options;
  const started = await io.client.json('POST', '/v1/admin/reconciliations', { body: context === undefined ? {} : { contexts: [context] } });
  const run = await followRun(io, started);
  // A run already under way may cover more contexts than asked for: show the one asked for.
  const contexts = (run.contexts ?? []).filter((entry) => context === undefined || entry.context === context);
  const clean = contexts.length > 0 && contexts.every(contextClean);
  if (json) {
    io.stdout.write(`${JSON.stringify({ ...run, contexts, clean }, null, 2)}\n`);
  } else {
    io.stdout.write(table(contexts, ['context', 'state', 'streams', 'events', ...kinds, 'pending']));
    const samples = contexts.flatMap((entry) => (entry.samples ?? []).map((sample) => ({ context: entry.context, ...sample })));
    if (samples.length > 0) {
      io.stdout.write('\nfirst events of each kind:\n');
      io.stdout.write(
        table(samples, [
          'context',
          'kind',
          { key: 'streamId', label: 'STREAM' },
          'version',
          { key: 'eventId', label: 'EVENT' },
          { key: 'copyEventId', label: 'COPY' },
        ]),
      );
    }
  }
  for (const entry of contexts.filter((candidate) => candidate.state === 'failed')) {
    io.stderr.write(says`homeward: the reconciliation of ${entry.context} failed: ${entry.errorCode ?? 'unknown reason'}\n`);
  }
  const pending = contexts.reduce((sum, entry) => sum + (Number(entry.pending) || 0), 0);
  if (pending > 0)
    io.stderr.write(
      says`homeward: ${pending} newest events not copied yet (within the grace period of ${run.graceSeconds ?? '?'}s); ` +
        'run again to check them\n',
    );
  if (!clean && contexts.some((entry) => entry.state === 'done' && !contextClean(entry))) {
    io.stderr.write('homeward: the copy and the stores differ\n');
  }
  return clean ? 0 : 1;
}
