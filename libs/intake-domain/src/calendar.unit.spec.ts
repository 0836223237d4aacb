import { describe, expect, it } from '@jest/globals';
import { addMonths } from './calendar.js';

describe('addMonths', () => {
  it.each([
    ['2022-12-01', 36, '2025-12-01'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2000-02-29', 12, '2001-02-28'],
    ['2023-11-15', 2, '2024-01-15'],
    ['2023-03-31', 0, '2023-03-31'],
  ])('%s + %i months = %s', (date, months, expected) => expect(addMonths(date, months)).toBe(expected));
});
