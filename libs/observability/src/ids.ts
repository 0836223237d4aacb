import { randomFillSync } from 'node:crypto';

// Random bits are drawn 4 KiB at a time: a syscall per id cost the 50-event append 7 % of its time.
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

/** The last id made: its millisecond and its 74 counter bits, to follow within a millisecond. */
const last = Buffer.alloc(16);
let lastMs = -1;

function fillRandom(target: Buffer): void {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(target, 6, used, used + 10);
  used += 10;
}

/** Adds one to the 74 bits that are neither version nor variant; false when they wrap around. */
function increment(bytes: Buffer): boolean {
  for (let index = 15; index >= 6; index -= 1) {
    const mask = index === 8 ? 0x3f : index === 6 ? 0x0f : 0xff;
    const next = (bytes[index]! & mask) + 1;
    if (next <= mask) {
      bytes[index] = (bytes[index]! & ~mask) | next;
      return true;
    }
    bytes[index] = bytes[index]! & ~mask;
  }
  return false;
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 bits that start random in
 * each millisecond and count up within it (RFC 9562's monotonic random), so every id this process
 * makes sorts after the one before, even when the clock steps back, and an index on them grows
 * at its end.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    fillRandom(last);
  } else if (!increment(last)) {
    lastMs += 1; // 2^74 ids in one millisecond: borrow the next one
    fillRandom(last);
  }
  last.writeUIntBE(lastMs, 0, 6);
  last[6] = (last[6]! & 0x0f) | 0x70; // version 7
  last[8] = (last[8]! & 0x3f) | 0x80; // variant 10
  const hex = last.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
