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
//
// This file is the command line. src/ holds the rest, one job a module: keys.mjs (the key file and the
// cosignature line), state.mjs (the state file), log-client.mjs (the log over HTTP), cosigning.mjs (the
// decision, one round and the loop), outcomes.mjs (exit codes and how a round fails).
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { NOTE_ED25519, isKeyName, parseVerifierKey } from '../verify/homeward-verify.mjs';
import { DEFAULT_INTERVAL_SECONDS, runWitness } from './src/cosigning.mjs';
import { keygen, readKeyFile } from './src/keys.mjs';
import { EXIT, Fatal } from './src/outcomes.mjs';

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
