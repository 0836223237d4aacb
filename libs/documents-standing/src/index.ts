export * from './documents-standing.js';
