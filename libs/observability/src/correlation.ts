import { uuidv7 } from './ids.js';

export const correlationIdHeader = 'x-correlation-id';

/** Accepted from callers as is; anything else (too long, odd characters) is replaced. */
const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** A new correlation id: a UUID v7, so ids sort by time. */
export const newCorrelationId = (): string => uuidv7();

/**
 * The caller's `x-correlation-id` when it is a plain token, else a new UUID v7. The value ends up
 * in every log line of the request, so free text is not accepted.
 */
export function correlationIdFrom(header: string | readonly string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && acceptable.test(value) ? value : newCorrelationId();
}
