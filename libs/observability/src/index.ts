export { createLogger, loggableError, personalFields, redactPersonal, type Logger, type LoggerOptions } from './logger.js';
export { correlationIdFrom, correlationIdHeader, newCorrelationId } from './correlation.js';
export { uuidv7 } from './ids.js';
