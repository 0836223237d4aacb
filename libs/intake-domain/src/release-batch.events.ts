import type { intakeEvents } from '@homeward/contracts';

export type ReleaseBatchAnnounced = { type: 'ReleaseBatchAnnounced'; data: intakeEvents.ReleaseBatchAnnounced };

/** What happens to a release batch as a whole, on the stream `release-batch-<batchId>`. */
export type ReleaseBatchEvent = ReleaseBatchAnnounced;

export const releaseBatchStreamId = (batchId: string) => `release-batch-${batchId}`;
