export * from './person.commands.js';
export * from './person.decider.js';
export * from './person.events.js';
export * from './person.status.js';
