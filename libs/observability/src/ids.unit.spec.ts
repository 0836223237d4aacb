import { describe, expect, it } from '@jest/globals';
import { uuidv7 } from './ids.js';

const millisecondOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID carrying the millisecond it was made in', () => {
    const before = Date.now();
    const id = uuidv7();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(millisecondOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('sorts every id after the one before, within a millisecond and across pool refills, never repeating', () => {
    const at = Date.now() + 60_000;
    const ids = Array.from({ length: 20_000 }, () => uuidv7(at));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, index) => index === 0 || ids[index - 1]! < id)).toBe(true);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
  });

  it('still sorts later when the clock steps back', () => {
    const ahead = uuidv7(Date.now() + 120_000);
    expect(uuidv7(0) > ahead).toBe(true);
  });
});
