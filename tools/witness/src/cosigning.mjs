// The cosigning decision: a checkpoint is cosigned only when it extends the one cosigned before;
// a rollback or a fork is refused loudly and left for a person. The checks are homeward-verify's own.
import { setTimeout as sleep } from 'node:timers/promises';
import { openCheckpoint, verifyConsistency } from '../../verify/homeward-verify.mjs';
import { b64, cosignatureLine } from './keys.mjs';
import { consistencyPath, logClient } from './log-client.mjs';
import { EXIT, Fatal, Refusal, RoundFailure } from './outcomes.mjs';
import { readState, writeState } from './state.mjs';

export const DEFAULT_INTERVAL_SECONDS = 10;

/** A Refusal naming what was cosigned last and what the log presents, then the presented note as evidence. */
function refusal(reason, { state, checkpoint, note, statePath }) {
  const at = (c) => `size ${c.size}, root ${b64(c.rootHash)}`;
  const lines = [
    `homeward-witness: REFUSED to cosign: ${reason}.`,
    state
      ? `  last cosigned (${statePath}): size ${state.treeSize}, root ${b64(state.rootHash)}`
      : `  last cosigned: nothing yet (${statePath} does not exist)`,
    checkpoint ? `  presented by the log:  ${at(checkpoint)}` : '  presented by the log:  no checkpoint signed by the log key',
    'Nothing was cosigned and the state file is unchanged. This needs a person: keep the state file and the',
    'presented checkpoint below as evidence, and tell the log operator and the other witnesses.',
    '--- presented checkpoint ---',
    note.length > 4000 ? `${note.slice(0, 4000)}\n[cut at 4000 characters]` : note.replace(/\n$/, ''),
    '---',
  ];
  return new Refusal(`${lines.join('\n')}\n`);
}

/**
 * One round: fetch the latest checkpoint, check it against the state, cosign and record it when the log
 * grew consistently. Answers { outcome, message }; throws a Refusal, a RoundFailure or a Fatal.
 */
export async function witnessRound(config, io) {
  const request = logClient(config, io);
  const latest = await request('GET', '/v1/audit/checkpoint', { accept: 'text/plain, application/problem+json' });
  if (latest.status === 404) return { outcome: 'none', message: `no checkpoint issued yet by ${config.log}` };
  if (!latest.ok) throw new RoundFailure(latest.problem());
  const note = latest.text;
  const state = readState(config.statePath);
  const facts = { state, note, statePath: config.statePath };
  const opened = openCheckpoint(note, config.logKey);
  if (opened.error) throw refusal(`the latest checkpoint is not the log's: ${opened.error}`, facts);
  const { checkpoint, body } = opened;
  facts.checkpoint = checkpoint;
  if (state && state.origin !== checkpoint.origin) {
    throw new Fatal(`the state file ${config.statePath} is for the log ${state.origin}, this log is ${checkpoint.origin}`);
  }

  if (!state) {
    io.stderr.write(
      `homeward-witness: no state file at ${config.statePath}: ` +
        `trusting on first use ${checkpoint.origin} at size ${checkpoint.size}, root ${b64(checkpoint.rootHash)}\n`,
    );
  } else if (checkpoint.size < state.treeSize) {
    throw refusal(`the log rolled back: it presents a smaller tree than the one this witness cosigned`, facts);
  } else if (checkpoint.size === state.treeSize) {
    if (!checkpoint.rootHash.equals(state.rootHash)) throw refusal('the log forked: another root at the size this witness cosigned', facts);
    return { outcome: 'unchanged', message: `already cosigned ${checkpoint.origin} at size ${checkpoint.size}` };
  } else {
    const path = state.treeSize === 0 ? [] : await consistencyPath(request, state.treeSize, checkpoint.size);
    if (!path || !verifyConsistency(state.treeSize, checkpoint.size, path, state.rootHash, checkpoint.rootHash)) {
      throw refusal(
        `the log forked: its consistency proof from size ${state.treeSize} to ${checkpoint.size} does not verify, ` +
          'so the tree cosigned before is not a prefix of this one',
        facts,
      );
    }
  }

  const line = cosignatureLine(body, config.key, Math.floor(io.now() / 1000));
  const posted = await request('POST', `/v1/audit/checkpoints/${checkpoint.size}/cosignatures`, { body: { signatureLine: line } });
  if (!posted.ok) throw new RoundFailure(posted.problem());
  writeState(config.statePath, {
    origin: checkpoint.origin,
    treeSize: checkpoint.size,
    rootHash: b64(checkpoint.rootHash),
    checkpoint: `${note}${line}`,
  });
  return { outcome: 'cosigned', message: `cosigned ${checkpoint.origin} at size ${checkpoint.size}, root ${b64(checkpoint.rootHash)}` };
}

/** Rounds until stopped (exit 0), refused (3) or fatal (1); with `once`, one round, and a failure exits 1. */
export async function runWitness(config, io, { once = false, intervalSeconds = DEFAULT_INTERVAL_SECONDS, signal } = {}) {
  let last = '';
  for (;;) {
    try {
      const { message } = await witnessRound(config, io);
      if (once || message !== last) io.stdout.write(`${message}\n`);
      last = message;
      if (once) return EXIT.ok;
    } catch (error) {
      if (error instanceof Refusal) {
        io.stderr.write(error.message);
        return EXIT.refused;
      }
      if (error instanceof Fatal) {
        io.stderr.write(`homeward-witness: ${error.message}\n`);
        return EXIT.failed;
      }
      if (!(error instanceof RoundFailure)) throw error;
      io.stderr.write(`homeward-witness: ${error.message}${once ? '' : `; trying again in ${intervalSeconds}s`}\n`);
      if (once) return EXIT.failed;
      last = '';
    }
    try {
      await sleep(intervalSeconds * 1000, undefined, { signal });
    } catch {
      return EXIT.ok; // stopped (SIGINT, SIGTERM)
    }
  }
}
