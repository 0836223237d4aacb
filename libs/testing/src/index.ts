export * from './infrastructure.js';
export * from './wait.js';
