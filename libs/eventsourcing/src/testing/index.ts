export * from './release-decider.js';
