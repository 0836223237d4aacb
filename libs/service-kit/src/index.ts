export * from './command-context.js';
export * from './grpc-problem.filter.js';
export * from './grpc-service.js';
export * from './runtime.js';
export * from './grpc-address.js';
export * from './admin.controller.js';
export * from './production.js';
