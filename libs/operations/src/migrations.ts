import { ProjectionJobs1764000000050 } from './projection-jobs.migration.js';
import { StreamsInByteOrder1764000000080 } from './stream-heads.migration.js';

/** The operator surface's tables and indexes; a service lists them after the event store's (eventStoreMigrations). */
export const operationsMigrations = [ProjectionJobs1764000000050, StreamsInByteOrder1764000000080];
