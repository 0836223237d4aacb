export * from './consumer-rebuild.js';
export * from './migrations.js';
export * from './operations.js';
export * from './projection-jobs.migration.js';
export * from './rebuild.js';
export * from './stream-heads.js';
export * from './stream-heads.migration.js';
