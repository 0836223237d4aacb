#!/usr/bin/env node
// homeward-witness: a partner organisation's witness of a Homeward transparency log.
//
//   homeward-witness keygen --name <name> --out <file>
//   homeward-witness key --key-file <file>
//   homeward-witness run --log <gateway url> --log-key <log vkey> --key-file <file> --state <file>
//                        [--token-file <file>] [--once] [--interval <seconds>]
//
// It fetches the log's latest signed checkpoint and the RFC 9162 consistency proof from the last one it
// cosigned, and cosigns (C2SP tlog-cosignature/v1) only when the log grew consistently. A rollback or a
// fork is refused loudly: exit 3, the state file untouched, because that needs a person. README.md beside
// this file says more. Plain Node, no dependency outside Node; the checks are homeward-verify's own, so the
// witness and the auditor's verifier cannot disagree.
import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  COSIGNATURE_V1,
  NOTE_ED25519,
  cosignatureMessage,
  decodeBase64,
  decodeHashes,
  formatVerifierKey,
  isKeyName,
  keyIdOf,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
} from '../verify/homeward-verify.mjs';

const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const DEFAULT_INTERVAL_SECONDS = 10;

/** Exit codes: 0 done, 1 failed (a network or log error, a file that cannot be read or written), 2 usage, 3 refused. */
const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 };

/** The log presented a checkpoint the witness must not cosign: a person has to look. */
class Refusal extends Error {}
/** This round failed (network, log error); the next round may succeed. */
class RoundFailure extends Error {}
/** The witness cannot go on (its key or state file): exit 1, in the loop too. */
class Fatal extends Error {}

const b64 = (bytes) => Buffer.from(bytes).toString('base64');

/** A witness key from its name and 32-byte Ed25519 seed: what it signs with and the verifier key it publishes. */
export function witnessKeyOf(name, seed) {
  if (!isKeyName(name)) throw new TypeError(`a key name is non-empty, without spaces or '+': ${JSON.stringify(name)}`);
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  const vkey = formatVerifierKey(name, COSIGNATURE_V1, publicKey);
  return {
    name,
    seed: Buffer.from(seed),
    privateKey,
    keyId: keyIdOf(name, COSIGNATURE_V1, publicKey),
    vkey,
    verifier: parseVerifierKey(vkey),
  };
}

/** `PRIVATE+KEY+<name>+<hex key id>+<base64(0x04 || seed)>`, Go's sumdb/note private key form. */
export const formatPrivateKey = (key) =>
  `${PRIVATE_KEY_PREFIX}${key.name}+${key.keyId.toString('hex')}+${b64(Buffer.concat([Uint8Array.of(COSIGNATURE_V1), key.seed]))}\n`;

/** A witness key from its private key text, or null when malformed or its key id does not match. */
export function parsePrivateKey(text) {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!line.startsWith(PRIVATE_KEY_PREFIX)) return null;
  const rest = line.slice(PRIVATE_KEY_PREFIX.length);
  const first = rest.indexOf('+');
  const second = rest.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const [name, id, material] = [rest.slice(0, first), rest.slice(first + 1, second), decodeBase64(rest.slice(second + 1))];
  if (!isKeyName(name) || material?.length !== 33 || material[0] !== COSIGNATURE_V1) return null;
  const key = witnessKeyOf(name, material.subarray(1));
  return key.keyId.toString('hex') === id ? key : null;
}

/** A new witness key written to `out` (mode 0600, never over an existing file); answers its verifier key. */
export function keygen(name, out) {
  const key = witnessKeyOf(name, randomBytes(32));
  writeFileSync(out, formatPrivateKey(key), { mode: 0o600, flag: 'wx' });
  return key.vkey;
}

function readKeyFile(file, stderr) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Fatal(`cannot read the key file ${file} (${error.code ?? error.message})`);
  }
  const key = parsePrivateKey(text);
  if (!key) throw new Fatal(`${file} is not a witness private key PRIVATE+KEY+<name>+<hex key id>+<base64(0x04 || seed)>`);
  if ((statSync(file).mode & 0o077) !== 0)
    stderr.write(`homeward-witness: warning: ${file} can be read by others than its owner; chmod 600 it\n`);
  return key;
}

/** The cosignature line of a checkpoint body at this time (POSIX seconds). */
export function cosignatureLine(body, key, time) {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const signature = sign(null, cosignatureMessage(body, BigInt(time)), key.privateKey);
  return `\u2014 ${key.name} ${b64(Buffer.concat([key.keyId, stamp, signature]))}\n`;
}

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
function writeState(path, state) {
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

function client(config, io) {
  const redact = (text) => (config.token ? String(text).split(config.token).join('<token>') : String(text));
  return async function request(method, path, { accept = 'application/json', body } = {}) {
    const headers = { accept, ...(config.token ? { authorization: `Bearer ${config.token}` } : {}) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await io.fetch(`${config.log}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new RoundFailure(
        redact(
          `${method} ${path}: cannot reach the log at ${config.log} (${error?.cause?.code ?? error?.cause?.message ?? error.message})`,
        ),
      );
    }
    const text = await response.text().catch(() => '');
    return {
      status: response.status,
      ok: response.ok,
      text,
      problem: () => redact(`${method} ${path}: ${problemText(response.status, text)}`),
    };
  };
}

/** A problem+json answer as `<status> <title>: <detail>`. */
function problemText(status, text) {
  try {
    const problem = JSON.parse(text);
    const parts = [problem?.title, problem?.detail].filter((part) => typeof part === 'string' && part);
    if (parts.length > 0) return `${status} ${parts.join(': ')}`;
  } catch {
    // not JSON: show the start of the text
  }
  return `${status} ${text.slice(0, 200) || 'the log answered with an error'}`;
}

async function consistencyPath(request, from, to) {
  const response = await request('GET', `/v1/audit/proofs/consistency?from=${from}&to=${to}`);
  if (!response.ok) throw new RoundFailure(response.problem());
  let proof;
  try {
    proof = JSON.parse(response.text);
  } catch {
    throw new RoundFailure(`GET /v1/audit/proofs/consistency: the log did not answer with JSON`);
  }
  if (proof?.from !== from || proof?.to !== to)
    throw new RoundFailure(`the log answered a consistency proof from ${proof?.from} to ${proof?.to}, not from ${from} to ${to}`);
  return decodeHashes(proof.path);
}

/**
 * One round: fetch the latest checkpoint, check it against the state, cosign and record it when the log
 * grew consistently. Answers { outcome, message }; throws a Refusal, a RoundFailure or a Fatal.
 */
export async function witnessRound(config, io) {
  const request = client(config, io);
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
      `homeward-witness: no state file at ${config.statePath}: trusting on first use ${checkpoint.origin} at size ${checkpoint.size}, root ${b64(checkpoint.rootHash)}\n`,
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
        `the log forked: its consistency proof from size ${state.treeSize} to ${checkpoint.size} does not verify, so the tree cosigned before is not a prefix of this one`,
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

const USAGE = `usage:
  homeward-witness keygen --name <key name> --out <private key file>
  homeward-witness key --key-file <private key file>
  homeward-witness run --log <gateway url> --log-key <log verifier key> --key-file <private key file> --state <state file>
                       [--token-file <file>] [--once] [--interval <seconds, default ${DEFAULT_INTERVAL_SECONDS}>]
      the bearer token comes from --token-file or HOMEWARD_TOKEN
exit codes: 0 done, 1 failed, 2 wrong usage, 3 refused to cosign (a rollback or a fork: needs a person)
`;

class UsageError extends Error {}

const options = {
  name: { type: 'string' },
  out: { type: 'string' },
  'key-file': { type: 'string' },
  log: { type: 'string' },
  'log-key': { type: 'string' },
  state: { type: 'string' },
  'token-file': { type: 'string' },
  once: { type: 'boolean' },
  interval: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
const commandOptions = {
  keygen: ['name', 'out'],
  key: ['key-file'],
  run: ['log', 'log-key', 'key-file', 'state', 'token-file', 'once', 'interval'],
};

function parseCommand(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { positionals, values } = parsed;
  if (values.help) return { command: 'help', values };
  const [command, ...extra] = positionals;
  if (!commandOptions[command]) throw new UsageError(command ? `unknown command ${command}` : 'give a command: keygen, key or run');
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
  const stray = Object.keys(values).find((name) => !commandOptions[command].includes(name));
  if (stray) throw new UsageError(`${command} takes no --${stray}`);
  const required = { keygen: ['name', 'out'], key: ['key-file'], run: ['log', 'log-key', 'key-file', 'state'] }[command];
  const missing = required.find((name) => values[name] === undefined);
  if (missing) throw new UsageError(`${command} needs --${missing}`);
  return { command, values };
}

function runConfig(values, env, stderr) {
  let url;
  try {
    url = new URL(values.log);
  } catch {
    throw new UsageError(`--log ${values.log} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--log ${values.log} is not an http(s) URL`);
  const logKey = parseVerifierKey(values['log-key']);
  if (!logKey) throw new UsageError(`--log-key ${values['log-key']} is not a verifier key <name>+<hex key id>+<base64 key>`);
  if (logKey.type !== NOTE_ED25519)
    throw new UsageError(`--log-key ${values['log-key']} is a witness key (type 0x04); give the log's key (type 0x01)`);
  const intervalSeconds = values.interval === undefined ? DEFAULT_INTERVAL_SECONDS : Number(values.interval);
  if (!(intervalSeconds > 0) || !Number.isFinite(intervalSeconds))
    throw new UsageError(`--interval ${values.interval} is not a positive number of seconds`);
  let token = env.HOMEWARD_TOKEN || undefined;
  if (values['token-file'] !== undefined) {
    try {
      token = readFileSync(values['token-file'], 'utf8').trim();
    } catch (error) {
      throw new Fatal(`cannot read the token file ${values['token-file']} (${error.code ?? error.message})`);
    }
  }
  const key = readKeyFile(values['key-file'], stderr);
  const config = { log: url.href.replace(/\/+$/, ''), logKey, key, statePath: values.state, token };
  return { config, intervalSeconds };
}

/** The command line. `io` carries the environment, the output streams, fetch, the clock and a stop signal. */
export async function main(argv, io) {
  const { env = {}, stdout, stderr, fetch = globalThis.fetch, now = Date.now, signal } = io;
  try {
    const { command, values } = parseCommand(argv);
    if (command === 'help') {
      stdout.write(USAGE);
      return EXIT.ok;
    }
    if (command === 'keygen') {
      if (!isKeyName(values.name)) throw new UsageError(`--name ${values.name}: a key name is non-empty, without spaces or '+'`);
      let vkey;
      try {
        vkey = keygen(values.name, values.out);
      } catch (error) {
        if (error.code === 'EEXIST') throw new Fatal(`${values.out} exists; refusing to overwrite a key`);
        throw new Fatal(`cannot write ${values.out} (${error.code ?? error.message})`);
      }
      stderr.write(`homeward-witness: private key written to ${values.out}; give the log operator and auditors this verifier key:\n`);
      stdout.write(`${vkey}\n`);
      return EXIT.ok;
    }
    if (command === 'key') {
      stdout.write(`${readKeyFile(values['key-file'], stderr).vkey}\n`);
      return EXIT.ok;
    }
    const { config, intervalSeconds } = runConfig(values, env, stderr);
    return await runWitness(config, { fetch, now, stdout, stderr }, { once: values.once === true, intervalSeconds, signal });
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`homeward-witness: ${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof Fatal) {
      stderr.write(`homeward-witness: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

// Run as a command (also through npm's bin symlink), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: stop.signal,
  });
}
