import { describe, expect, it } from '@jest/globals';
import { intakeUpcasters } from './person.upcasters.js';
import { personId } from './person.fixtures.js';

// A PrisonerReleased as schema version 1 stored it, before sentenceRemainingSource existed.
const storedV1 = (days: number) => ({
  personId,
  releasedAt: '2025-09-11T08:00:00.000Z',
  mechanism: 'brokered',
  batchId: 'batch-2025-09-11',
  daysOfSentenceRemaining: days,
});
const toCurrent = (data: Record<string, unknown>) => intakeUpcasters['PrisonerReleased']!.reduce((current, step) => step(current), data);

describe('PrisonerReleased stored as schema version 1', () => {
  it('reads days it carries as stated', () =>
    expect(toCurrent(storedV1(120))).toEqual({ ...storedV1(120), sentenceRemainingSource: 'stated' }));
  it('reads 0 days as unknown', () => expect(toCurrent(storedV1(0))).toEqual({ ...storedV1(0), sentenceRemainingSource: '' }));
});
