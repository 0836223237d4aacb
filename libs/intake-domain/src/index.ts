export * from './calendar.js';
export * from './person.commands.js';
export * from './person.decider.js';
export * from './person.events.js';
export * from './person.status.js';
export * from './release-batch.commands.js';
export * from './release-batch.decider.js';
export * from './release-batch.events.js';
