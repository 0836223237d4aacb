export { createLogger, loggableError, personalFields, redactPaths, type Logger, type LoggerOptions } from './logger.js';
export { correlationIdFrom, correlationIdHeader, newCorrelationId } from './correlation.js';
