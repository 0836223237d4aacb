import { describe, expect, it } from '@jest/globals';
import { addMonths, daysBetween } from './calendar.js';

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

describe('daysBetween', () => {
  it.each([
    ['2025-09-11', '2025-09-11', 0],
    ['2025-09-11T08:00:00Z', '2026-01-09', 120],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-12-31T23:59:59Z', '2026-01-01', 1],
    ['2026-01-09', '2025-09-11', -120],
  ])('from %s to %s is %i days', (from, to, expected) => expect(daysBetween(from, to)).toBe(expected));
});
