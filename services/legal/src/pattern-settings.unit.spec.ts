import { describe, expect, it } from '@jest/globals';
import { patternSettingsFrom } from './pattern-settings.js';

describe('pattern settings from the environment', () => {
  it('are 10 people per batch, 10 people per period and periods of 30 days unless set', () => {
    const defaults = { batchThreshold: 10, periodThreshold: 10, periodWindowDays: 30 };
    expect(patternSettingsFrom({})).toEqual(defaults);
    expect(patternSettingsFrom({ PATTERN_THRESHOLD: '', PERIOD_PATTERN_THRESHOLD: '', PERIOD_PATTERN_WINDOW_DAYS: '' })).toEqual(defaults);
  });
  it('take whole numbers, 1 or more', () => {
    expect(patternSettingsFrom({ PATTERN_THRESHOLD: '3', PERIOD_PATTERN_THRESHOLD: '25', PERIOD_PATTERN_WINDOW_DAYS: '7' })).toEqual({
      batchThreshold: 3,
      periodThreshold: 25,
      periodWindowDays: 7,
    });
  });
  describe.each(['PATTERN_THRESHOLD', 'PERIOD_PATTERN_THRESHOLD', 'PERIOD_PATTERN_WINDOW_DAYS'])('%s', (name) => {
    it.each(['0', '-2', '2.5', 'ten'])('refuses %s at start-up, naming the variable', (value) => {
      expect(() => patternSettingsFrom({ [name]: value })).toThrow(name);
    });
  });
});
