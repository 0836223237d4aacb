export * from './field-cipher.js';
export * from './master-keys.js';
export * from './person-keys.js';
export * from './sealing.js';
