export * from './merkle.js';
export * from './signed-note.js';
export * from './checkpoint.js';
export * from './log.js';
