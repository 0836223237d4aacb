import { describe, expect, it } from '@jest/globals';
import { correlationIdFrom, newCorrelationId } from './correlation.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlation ids', () => {
  it('keeps a plain caller id', () => {
    expect(correlationIdFrom('req-42.a:b_c')).toBe('req-42.a:b_c');
    expect(correlationIdFrom(['first', 'second'])).toBe('first');
  });

  it('generates a UUID v7 when there is none or it is not a plain token', () => {
    expect(correlationIdFrom(undefined)).toMatch(uuidV7);
    expect(correlationIdFrom('')).toMatch(uuidV7);
    expect(correlationIdFrom('Jane Doe <jane@example.org>')).toMatch(uuidV7);
    expect(correlationIdFrom('x'.repeat(129))).toMatch(uuidV7);
  });

  it('makes ids that sort by creation time', () => {
    const first = newCorrelationId();
    const second = newCorrelationId();
    expect(first < second).toBe(true);
  });
});
