/**
 * Bounded retries with exponential backoff: attempt n (1-based) that fails is retried after
 * baseDelayMs * 2^(n-1), capped at maxDelayMs; the failure of attempt maxAttempts is final.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/** When attempt `attempt + 1` is due after attempt `attempt` failed at `failedAt`; null when none is left. */
export function nextAttemptAt(policy: RetryPolicy, attempt: number, failedAt: string): string | null {
  if (attempt >= policy.maxAttempts) return null;
  const delay = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return new Date(Date.parse(failedAt) + delay).toISOString();
}
