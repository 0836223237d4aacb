import { problemKinds, type ProblemKind } from '@homeward/decider';

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

export const isProblemKind = (value: unknown): value is ProblemKind => typeof value === 'string' && Object.hasOwn(problemKinds, value);

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

export function problem(kind: ProblemKind, detail: string, instance: string, extra: { code?: string; errors?: FieldError[] } = {}): Problem {
  const { http, title } = problemKinds[kind];
  return {
    type: problemType(kind),
    title,
    status: http,
    detail,
    instance,
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
}

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid'): ProblemException =>
  new ProblemException('validation-failed', detail, { errors });
