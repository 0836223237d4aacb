import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { ReleaseBatchEvent } from './release-batch.events.js';
import { releaseBatchDecider } from './release-batch.decider.js';

const given = specFor(releaseBatchDecider);
const announced = {
  type: 'ReleaseBatchAnnounced',
  data: {
    batchId: 'batch-2025-09-11',
    date: '2025-09-11',
    announcedCount: 52,
    brokeredBy: 'United States',
    conditions: 'driven across the border to Lithuania',
  },
} satisfies ReleaseBatchEvent;

describe('release batch decider', () => {
  describe('given no announcement', () => {
    it('announces the batch', () => given().when({ type: 'AnnounceReleaseBatch', data: announced.data }).then(announced));
  });

  describe('given an announced batch', () => {
    it('refuses a second announcement', () =>
      given(announced)
        .when({ type: 'AnnounceReleaseBatch', data: { ...announced.data, announcedCount: 53 } })
        .thenThrows('release-batch.already-announced'));
  });
});
