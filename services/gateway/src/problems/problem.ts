import type { ProblemKind } from '@homeward/decider';

/** Each problem kind as its problem document shows it: the gateway's edge of the mapping (services hold the gRPC edge). */
export const problemDocuments = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'not-found': { status: 404, title: 'Not found' },
  'version-conflict': { status: 409, title: 'The stream has moved on' },
  'not-yet-consistent': { status: 409, title: 'The read model has not caught up yet' },
  'rule-violated': { status: 422, title: 'A business rule forbids this' },
  'idempotency-key-reused': { status: 422, title: 'This Idempotency-Key was used with another request' },
  forbidden: { status: 403, title: 'Forbidden' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  'payload-too-large': { status: 413, title: 'The payload is too large' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'A service is unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<ProblemKind, { status: number; title: string }>;

/** One broken rule of a request: which field, which rule, and a message that never quotes the value. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: FieldError[];
}

export const problemContentType = 'application/problem+json; charset=utf-8';

export const problemType = (kind: ProblemKind): string => `https://homeward.example/problems/${kind}`;

export const isProblemKind = (value: unknown): value is ProblemKind => typeof value === 'string' && Object.hasOwn(problemDocuments, value);

/** A refusal decided in the gateway (auth, validation); the filter turns it into a problem. */
export class ProblemException extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: { code?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemException';
  }
}

export function problem(
  kind: ProblemKind,
  detail: string,
  instance: string,
  extra: { code?: string; errors?: FieldError[] } = {},
): Problem {
  const { status, title } = problemDocuments[kind];
  return {
    type: problemType(kind),
    title,
    status,
    detail,
    instance,
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
}

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid'): ProblemException =>
  new ProblemException('validation-failed', detail, { errors });
