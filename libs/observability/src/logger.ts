import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys that hold personal data somewhere in this system. Redacted at any depth, in arrays too, so
 * a careless `logger.info({ person })` cannot leak them.
 */
export const personalFields = ['fullName', 'aliases', 'birthDate', 'account', 'address', 'email', 'name'] as const;

/** Credentials: never logged either. */
const secretFields = ['authorization', 'cookie', 'password', 'token'] as const;

const redacted = new Set<string>([...personalFields, ...secretFields]);
const censor = '[redacted]';
/** Deeper than this, a value is dropped rather than searched (and a cycle ends here). */
const maxDepth = 12;

/**
 * One walk over what is logged, replacing the value of every redacted key. It copies only the
 * objects on the way to a replaced value and hands everything else back as it came, so a line
 * with nothing personal costs one pass over its keys. (pino's path redaction needed a wildcard
 * path per key and depth, 77 of them, and cost the gateway a tenth of its time per request.)
 */
export function redactPersonal(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > maxDepth) return '[too deep]';
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const clean = redactPersonal(item, depth + 1);
      if (clean !== item) (copy ??= [...value])[index] = clean;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const clean = redacted.has(key) ? censor : redactPersonal(item, depth + 1);
    if (clean !== item) (copy ??= { ...record })[key] = clean;
  }
  return copy ?? value;
}

const redactObject = (object: Record<string, unknown>) => redactPersonal(object) as Record<string, unknown>;

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
    formatters: { level: (label: string) => ({ level: label }), log: redactObject },
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
