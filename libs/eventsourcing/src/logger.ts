/** What the relay and the consumer runner log through (a pino logger fits): names and ids, never data. */
export interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}
