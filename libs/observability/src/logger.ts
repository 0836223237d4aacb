import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys that hold personal data somewhere in this system. Redacted at any depth (up to
 * `redactDepth` levels of nesting), so a careless `logger.info({ person })` cannot leak them.
 */
export const personalFields = ['fullName', 'aliases', 'birthDate', 'account', 'address', 'email', 'name'] as const;

/** Credentials: never logged either. */
const secretFields = ['authorization', 'cookie', 'password', 'token'] as const;

const redactDepth = 6;

/** fast-redact has no "any depth" wildcard, so every level is listed: `k`, `*.k`, `*.*.k`, ... */
export const redactPaths: readonly string[] = [...personalFields, ...secretFields].flatMap((field) =>
  Array.from({ length: redactDepth + 1 }, (_, depth) => `${'*.'.repeat(depth)}${field}`),
);

export interface LoggerOptions {
  /** Defaults to LOG_LEVEL, else 'info'. */
  level?: string;
  /** Defaults to stdout; tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

/**
 * A JSON logger. The component goes in `logger` rather than pino's `name`, because `name` is a
 * personal field and is redacted wherever it appears.
 */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    base: { logger: component },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...redactPaths], censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/**
 * What may be logged of an error: its class, code and stack frames, never its message, which may
 * quote input (a JSON.parse error quotes the body, a driver error the row).
 */
export function loggableError(error: unknown): { type: string; code?: string | number; frames?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(frames ? { frames } : {}),
  };
}
