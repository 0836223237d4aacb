// The command line's entry: parse, run, map every failure to a message on stderr and an exit code
// (0 done, 1 failed, 2 wrong usage). Never prints the token.
import { setTimeout as delay } from 'node:timers/promises';
import { helpText, parseCommand, UsageError } from './args.mjs';
import { createClient, GatewayError, redact } from './client.mjs';
import { handlers } from './commands.mjs';

/**
 * Runs one command. `options` may replace the environment, the streams and fetch (for tests).
 * Resolves to the exit code.
 *
 * @typedef {{ write(text: string): unknown, isTTY?: boolean }} Output
 * @typedef {object} MainOptions
 * @property {Record<string, string | undefined>} [env]
 * @property {Output} [stdout]
 * @property {Output} [stderr]
 * @property {Function} [fetchImpl]
 * @property {(ms: number) => Promise<unknown>} [sleep]
 * @property {() => number} [now]
 * @param {string[]} argv
 * @param {MainOptions} [options]
 */
export async function main(
  argv,
  { env = process.env, stdout = process.stdout, stderr = process.stderr, fetchImpl, sleep = delay, now = Date.now } = {},
) {
  let command;
  try {
    command = parseCommand(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`homeward: ${error.message}\n`);
    return 2;
  }
  if (command.name === 'help') {
    stdout.write(helpText(command.topic));
    return 0;
  }
  const client = createClient({ url: command.url, token: command.token, ...(fetchImpl ? { fetchImpl } : {}) });
  try {
    return await handlers[command.name]({ stdout, stderr, client, sleep, now }, command);
  } catch (error) {
    const message = error instanceof GatewayError ? error.message : `unexpected error: ${error?.message ?? error}`;
    stderr.write(`homeward: ${redact(message, command.token)}\n`);
    if (error instanceof GatewayError && error.status === 401) {
      stderr.write('homeward: the token was refused; get a fresh one with npm run -s token -- --role operator (or auditor)\n');
    }
    return error instanceof GatewayError &&
      (error.status === 400 || error.status === 422) &&
      error.problem?.type?.endsWith?.('validation-failed')
      ? 2
      : 1;
  }
}
