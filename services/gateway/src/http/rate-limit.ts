/** How many requests one caller may make: a steady rate and the burst it may spend at once. */
export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

export const defaultRateLimit: RateLimitConfig = { perMinute: 600, burst: 120 };

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** RATE_LIMIT_PER_MINUTE (600) and RATE_LIMIT_BURST (120, or the per-minute figure when that is lower). */
export function rateLimitConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  const perMinute = positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', defaultRateLimit.perMinute);
  return { perMinute, burst: positiveInteger(env, 'RATE_LIMIT_BURST', Math.min(defaultRateLimit.burst, perMinute)) };
}

export type Admission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per caller, in memory: a gateway instance limits what passes through it. The
 * map is bounded: when it grows past `maxKeys`, buckets that have refilled (idle callers) go
 * first, then the oldest, so a flood of new addresses cannot exhaust memory.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly config: RateLimitConfig,
    private readonly now: () => number = () => performance.now(),
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = config.perMinute / 60_000;
  }

  take(key: string): Admission {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.config.burst, at: now };
    bucket.tokens = Math.min(this.config.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket); // most recently used last
    if (this.buckets.size > this.maxKeys) this.evict(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.config.burst) this.buckets.delete(key);
    }
    // Down to 90 %, so that a flood does not pay for a full sweep on every request.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys * 0.9) break;
      this.buckets.delete(key);
    }
  }
}
