import { describe, expect, it } from '@jest/globals';
import { patternThresholdFrom } from './service.js';

describe('PATTERN_THRESHOLD', () => {
  it('is 10 people unless set', () => {
    expect(patternThresholdFrom({})).toBe(10);
    expect(patternThresholdFrom({ PATTERN_THRESHOLD: '' })).toBe(10);
  });
  it('takes a whole number of people, 1 or more', () => {
    expect(patternThresholdFrom({ PATTERN_THRESHOLD: '3' })).toBe(3);
  });
  it.each(['0', '-2', '2.5', 'ten'])('refuses %s at start-up', (value) => {
    expect(() => patternThresholdFrom({ PATTERN_THRESHOLD: value })).toThrow('PATTERN_THRESHOLD');
  });
});
