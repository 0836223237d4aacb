import { describe, expect, it } from '@jest/globals';
import type { PersonEvent } from './person.events.js';
import { initialStatusTrack, statusOf, trackStatus } from './person.status.js';
import {
  conditionReported,
  contactLost,
  contactReestablished,
  deported,
  imprisoned,
  registered,
  rearrested,
  released,
  returnCrossed,
  returnRefused,
  returnUnknown,
} from './person.fixtures.js';

const statusAfter = (...events: PersonEvent[]) => statusOf(events.reduce(trackStatus, initialStatusTrack()));

describe('person status', () => {
  it('is unregistered before anything happened', () => expect(statusAfter()).toBe('unregistered'));

  it.each([
    ['registered', [registered]],
    ['imprisoned', [registered, imprisoned]],
    ['imprisoned', [registered, imprisoned, conditionReported]],
    ['released', [registered, imprisoned, released]],
    ['in-exile', [registered, imprisoned, released, deported]],
    ['return-attempted', [registered, imprisoned, released, deported, returnRefused]],
    ['return-attempted', [registered, imprisoned, released, deported, returnUnknown]],
    ['home', [registered, imprisoned, released, deported, returnRefused, returnCrossed]],
    ['re-arrested', [registered, imprisoned, released, deported, returnCrossed, rearrested]],
    ['whereabouts-unknown', [registered, imprisoned, released, deported, returnUnknown, contactLost]],
  ] as const)('is %s after %#', (status, events) => expect(statusAfter(...events)).toBe(status));

  it.each([
    ['registered', [registered]],
    ['imprisoned', [registered, imprisoned]],
    ['in-exile', [registered, imprisoned, released, deported]],
    ['return-attempted', [registered, imprisoned, released, deported, returnUnknown]],
  ] as const)('returns to %s when contact lost there is re-established', (before, events) => {
    expect(statusAfter(...events, contactLost)).toBe('whereabouts-unknown');
    expect(statusAfter(...events, contactLost, contactReestablished)).toBe(before);
  });

  it('returns to where the story reached meanwhile: a release recorded while contact was lost', () =>
    expect(statusAfter(registered, imprisoned, contactLost, released, contactReestablished)).toBe('released'));

  it('says re-arrested rather than whereabouts unknown when both are known', () => {
    expect(statusAfter(registered, imprisoned, released, contactLost, rearrested)).toBe('re-arrested');
    expect(statusAfter(registered, imprisoned, released, rearrested, contactLost)).toBe('re-arrested');
  });
});
