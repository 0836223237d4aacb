export * from './documents.commands.js';
export * from './documents.decider.js';
export * from './documents.events.js';
export * from './documents.status.js';
