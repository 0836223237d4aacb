import { describe, expect, it } from '@jest/globals';
import { identityDocumentsEvents, intakeEvents } from '@homeward/contracts';
import {
  applicationDecisions,
  batchIdMaxLength,
  countryPattern,
  datePattern,
  dateTimePattern,
  documentsEventTypes,
  documentsStatuses,
  initialSubmissionStatuses,
  isBatchId,
  isUuid,
  passportReplacingTypes,
  personEventTypes,
  submissionStatuses,
  travelDocumentTypes,
  undocumentedStatuses,
} from './index.js';

describe('formats', () => {
  it('a batch id is 1 to 64 letters, digits, dots, underscores or hyphens', () => {
    expect(isBatchId('batch-2025-09-11')).toBe(true);
    expect(isBatchId('a'.repeat(batchIdMaxLength))).toBe(true);
    expect(isBatchId('a'.repeat(batchIdMaxLength + 1))).toBe(false);
    expect(isBatchId('')).toBe(false);
    // legal derives pattern ids from "<batch>|<practice>": a batch id never holds a "|"
    expect(isBatchId('a|b')).toBe(false);
    expect(isBatchId('a b')).toBe(false);
  });

  it('a UUID is any version, either case, and nothing around it', () => {
    expect(isUuid('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isUuid('6F1B8E5E-1D3A-4C53-9A55-6B1F0C6F4A10')).toBe(true);
    expect(isUuid('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5')).toBe(false);
    expect(isUuid(' 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe(false);
  });

  it('dates, date-times with a zone, and upper-case country codes', () => {
    expect(datePattern.test('2025-09-11')).toBe(true);
    expect(datePattern.test('2025-09-11T00:00:00Z')).toBe(false);
    expect(dateTimePattern.test('2025-09-11T14:00:00Z')).toBe(true);
    expect(dateTimePattern.test('2025-09-11T14:00:00.123+02:00')).toBe(true);
    expect(dateTimePattern.test('2025-09-11T14:00:00')).toBe(false);
    expect(countryPattern.test('LT')).toBe(true);
    expect(countryPattern.test('lt')).toBe(false);
  });
});

describe('words', () => {
  it("names each event after its contract's message", () => {
    for (const type of personEventTypes) expect(intakeEvents).toHaveProperty(type);
    for (const type of documentsEventTypes) expect(identityDocumentsEvents).toHaveProperty(type);
  });

  it('keeps each subset inside its set', () => {
    expect(travelDocumentTypes).toEqual(expect.arrayContaining([...passportReplacingTypes]));
    expect([...undocumentedStatuses]).toEqual(documentsStatuses.filter((status) => status !== 'documented'));
    expect(submissionStatuses).toEqual(expect.arrayContaining([...initialSubmissionStatuses]));
    expect(applicationDecisions).toEqual(['pending', 'issued', 'refused']);
  });
});
