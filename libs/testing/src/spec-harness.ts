// One harness per spec: started before the tests of the describe block (or file) that asks for it,
// stopped after them. Jest boots each spec file in a context of its own, so a harness cannot be
// shared across files; this keeps it to one per file without repeating the hooks in each.
import { afterAll, beforeAll } from '@jest/globals';

/**
 * Registers `start` in beforeAll and `stop` in afterAll of the block it is called in, and answers
 * the harness `start` gives: its members are read when a test runs, after the start.
 */
export function harnessPerSpec<Harness extends object>(
  start: () => Promise<Harness>,
  stop: (harness: Harness) => Promise<void>,
  timeoutMs = 90_000,
): Harness {
  let running: Harness | undefined;
  beforeAll(async () => {
    running = await start();
  }, timeoutMs);
  afterAll(async () => {
    if (running) await stop(running);
  }, timeoutMs);
  return new Proxy({} as Harness, {
    get(_, member) {
      if (!running) throw new Error('the harness is read before its beforeAll started it');
      return Reflect.get(running, member);
    },
  });
}
