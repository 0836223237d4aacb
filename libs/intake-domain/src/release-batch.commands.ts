import type { ReleaseBatchAnnounced } from './release-batch.events.js';

export type AnnounceReleaseBatch = { type: 'AnnounceReleaseBatch'; data: ReleaseBatchAnnounced['data'] };

export type ReleaseBatchCommand = AnnounceReleaseBatch;
