// What the launcher needs to watch its children: their output split into lines, the last lines of
// a log file (what a crash report shows), waiting for a condition, and the error a crash becomes.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { sleep } from './common.mjs';

/** Splits a byte stream into lines; calls onLine for each complete one and for the rest at the end. */
export function lineSplitter(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/** The last `count` lines of a file (of its last 64 KiB), for a crash report. */
export function lastLines(file, count) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .slice(-count);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function waitUntil(predicate, { timeoutMs, intervalMs = 250, failure }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failed = failure();
    if (failed) throw failed;
    if (await predicate()) return;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

export function crashError(proc, during) {
  const how = proc.exitSignal ? `signal ${proc.exitSignal}` : `exit code ${proc.exitCode}`;
  const tail = proc.tail.length
    ? `\n--- last ${proc.tail.length} lines of ${proc.logPath} ---\n${proc.tail.join('\n')}`
    : ` (no output; log ${proc.logPath})`;
  const error = new Error(`${proc.name} exited unexpectedly ${during} (${how})${tail}`);
  error.service = proc.name;
  error.tail = [...proc.tail];
  return error;
}
