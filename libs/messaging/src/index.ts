export * from './codec.js';
export * from './envelope.js';
export * from './kafka.js';
export * from './topics.js';
