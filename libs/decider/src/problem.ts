/**
 * The stable kinds of failure every layer speaks. Only the kinds live here: each edge maps them to
 * its transport, the services to gRPC status codes (@homeward/service-kit) and the gateway to
 * RFC 9457 problem documents.
 */
export const problemKinds = [
  'validation-failed',
  'not-found',
  'version-conflict',
  'not-yet-consistent',
  'rule-violated',
  'idempotency-key-reused',
  'forbidden',
  'unauthenticated',
  'payload-too-large',
  'rate-limited',
  'unavailable',
  'internal',
] as const;

export type ProblemKind = (typeof problemKinds)[number];

/** gRPC metadata key carrying the stable error code next to the status. */
export const errorCodeMetadataKey = 'homeward-error-code';
export const problemKindMetadataKey = 'homeward-problem-kind';

/**
 * A refusal with a stable code, e.g. `person.not-released`. Thrown by deciders and stores; the
 * message never contains personal data, because it travels to logs and to clients.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const ruleViolated = (code: string, message: string) => new DomainError('rule-violated', code, message);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
