export * from './decider.js';
export * from './problem.js';
