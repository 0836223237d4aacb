// The words and formats the contracts carry as plain strings, written once: the domain libs check
// commands against them, the gateway validates and documents requests with them. Pure data, no
// framework, so every kind of project may import it (tag type:contracts).
export * from './formats.js';
export * from './identity-documents.js';
export * from './intake.js';
export * from './legal.js';
export * from './notifications.js';
