export * from './infrastructure.js';
export * from './wait.js';
export * from './grpc-client.js';
export * from './dev-token.js';
export * from './hostile-requests.js';
export * from './spec-harness.js';
