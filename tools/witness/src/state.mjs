// What the witness last cosigned, on disk between rounds and restarts: its memory, never rewritten by a refusal.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { decodeBase64 } from '../../verify/homeward-verify.mjs';
import { Fatal } from './outcomes.mjs';

/** The state file: what the witness last cosigned, or null before its first cosignature. */
export function readState(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw new Fatal(`cannot read the state file ${path} (${error.code ?? error.message})`);
  }
  let state;
  try {
    state = JSON.parse(text);
  } catch {
    state = null;
  }
  const rootHash = decodeBase64(state?.rootHash);
  if (
    typeof state?.origin !== 'string' ||
    !Number.isSafeInteger(state.treeSize) ||
    state.treeSize < 0 ||
    rootHash?.length !== 32 ||
    typeof state.checkpoint !== 'string'
  ) {
    throw new Fatal(`the state file ${path} is not {"origin","treeSize","rootHash","checkpoint"}; it needs a person, not a fresh start`);
  }
  return { ...state, rootHash };
}

/** Written to a temporary file, synced and renamed over the old one, so a crash leaves the old state or the new. */
export function writeState(path, state) {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Fatal(`the log accepted the cosignature but the state file ${path} could not be written (${error.code ?? error.message})`);
  }
}
