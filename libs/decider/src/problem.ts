/**
 * The stable kinds of failure every layer speaks. Services map them to gRPC status codes, the
 * gateway maps those back to RFC 9457 problem types: one table, used at both edges.
 */
export const problemKinds = {
  'validation-failed': { grpc: 3, http: 400, title: 'The request is not valid' },
  'not-found': { grpc: 5, http: 404, title: 'Not found' },
  'version-conflict': { grpc: 10, http: 409, title: 'The stream has moved on' },
  'not-yet-consistent': { grpc: 11, http: 409, title: 'The read model has not caught up yet' },
  'rule-violated': { grpc: 9, http: 422, title: 'A business rule forbids this' },
  'idempotency-key-reused': { grpc: 6, http: 422, title: 'This Idempotency-Key was used with another request' },
  forbidden: { grpc: 7, http: 403, title: 'Forbidden' },
  unauthenticated: { grpc: 16, http: 401, title: 'Authentication required' },
  'payload-too-large': { grpc: 8, http: 413, title: 'The payload is too large' },
  'rate-limited': { grpc: 8, http: 429, title: 'Too many requests' },
  unavailable: { grpc: 14, http: 503, title: 'A service is unavailable' },
  internal: { grpc: 13, http: 500, title: 'Internal error' },
} as const;

export type ProblemKind = keyof typeof problemKinds;

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
