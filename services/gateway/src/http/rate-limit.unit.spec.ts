import { describe, expect, it } from '@jest/globals';
import { RateLimiter, rateLimitConfigFromEnv } from './rate-limit.js';

describe('RateLimiter', () => {
  it('lets a burst through, then refuses with the seconds until the next request may pass', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true); // each caller has its own bucket
    now += 1_000; // one request a second refills
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('says how long to wait at a slow rate', () => {
    const limiter = new RateLimiter({ perMinute: 2, burst: 1 }, () => 0);
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it('keeps its memory bounded when many callers appear', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 5 }, () => now, 100);
    for (let i = 0; i < 1_000; i += 1) {
      now += 1;
      limiter.take(`ip:${i}`);
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});

describe('rateLimitConfigFromEnv', () => {
  it('has defaults and reads both variables', () => {
    expect(rateLimitConfigFromEnv({})).toEqual({ perMinute: 600, burst: 120 });
    expect(rateLimitConfigFromEnv({ RATE_LIMIT_PER_MINUTE: '30' })).toEqual({ perMinute: 30, burst: 30 });
    expect(rateLimitConfigFromEnv({ RATE_LIMIT_PER_MINUTE: '100', RATE_LIMIT_BURST: '7' })).toEqual({ perMinute: 100, burst: 7 });
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/positive integer/);
  });
});
