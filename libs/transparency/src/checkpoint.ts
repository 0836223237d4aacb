// C2SP tlog-checkpoint: the note body a log signs for each tree head.
import { HASH_SIZE } from './merkle.js';
import { decodeBase64 } from './signed-note.js';

export type Checkpoint = {
  origin: string; // the log's identity, e.g. homeward.example/audit
  size: number;
  rootHash: Uint8Array;
  extensions?: string[]; // opaque lines after the root; not auditable, so best left out
};

export type ParsedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; code: 'malformed-checkpoint'; detail: string };

// eslint-disable-next-line no-control-regex
const isLine = (line: string): boolean => line.length > 0 && !/[\u0000-\u001F]/.test(line);

/** `<origin>\n<size>\n<base64 root>\n` and any extension lines. */
export function checkpointBody({ origin, size, rootHash, extensions = [] }: Checkpoint): string {
  if (!isLine(origin)) throw new TypeError('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`a tree size is a non-negative integer, not ${size}`);
  if (rootHash.length !== HASH_SIZE) throw new TypeError(`a root hash is ${HASH_SIZE} bytes`);
  if (!extensions.every(isLine)) throw new TypeError('checkpoint extension lines are non-empty lines');
  return [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions].map((line) => `${line}\n`).join('');
}

export function parseCheckpoint(body: string): ParsedCheckpoint {
  const malformed = (detail: string): ParsedCheckpoint => ({ ok: false, code: 'malformed-checkpoint', detail });
  if (!body.endsWith('\n')) return malformed('a checkpoint body ends in a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) return malformed('a checkpoint has an origin, a size and a root hash');
  if (!lines.every(isLine)) return malformed('checkpoint lines are non-empty');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    return malformed(`tree size ${JSON.stringify(sizeLine)} is not a decimal without leading zeroes`);
  }
  const rootHash = decodeBase64(rootLine);
  if (!rootHash || rootHash.length !== HASH_SIZE) return malformed('the root hash is not the base64 of 32 bytes');
  const checkpoint: Checkpoint = { origin, size: Number(sizeLine), rootHash: new Uint8Array(rootHash) };
  return { ok: true, checkpoint: extensions.length > 0 ? { ...checkpoint, extensions } : checkpoint };
}
