import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { common } from '@homeward/contracts';
import type { FastifyRequest } from 'fastify';
import { validationFailed, type FieldError } from '../problems/problem.js';

export type CommandMetadata = common.CommandMetadata;

const maxStreamVersion = 2 ** 32 - 1; // uint32 in the contract
const printable = /^[\x20-\x7e]{1,200}$/;
const ifMatch = /^(?:"(\d{1,10})"|(\d{1,10}))$/;
const traceparent = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const single = (value: string | string[] | undefined): string | undefined | null =>
  Array.isArray(value) ? (value.length === 1 ? value[0] : null) : value;

/**
 * The CommandMetadata of a request: actor from the token, correlation and causation ids (the same
 * for a request), the Idempotency-Key (1..200 printable characters) and If-Match (a stream
 * version, quotes allowed) headers, and the W3C traceparent when it is well formed.
 */
export function commandMetadataFrom(request: FastifyRequest): CommandMetadata {
  if (!request.principal) throw new Error('commandMetadataFrom needs a route the auth guard protects');
  const errors: FieldError[] = [];

  const key = single(request.headers['idempotency-key']);
  if (key === null || (key !== undefined && !printable.test(key))) {
    errors.push({ field: 'Idempotency-Key', rule: 'format', message: 'Idempotency-Key must be 1 to 200 printable ASCII characters' });
  }

  const match = single(request.headers['if-match']);
  const parsed = match === undefined || match === null ? null : ifMatch.exec(match.trim());
  const version = parsed ? (parsed[1] ?? parsed[2]) : undefined;
  const expectedVersion = version === undefined ? undefined : Number(version);
  if (match === null || (match !== undefined && (expectedVersion === undefined || expectedVersion > maxStreamVersion))) {
    errors.push({
      field: 'If-Match',
      rule: 'format',
      message: 'If-Match must be a stream version: a non-negative integer, quotes allowed',
    });
  }
  if (errors.length > 0) throw validationFailed(errors, 'A header is not valid');

  const trace = single(request.headers['traceparent']);
  return {
    actor: request.principal.sub,
    correlationId: request.correlationId,
    causationId: request.correlationId,
    idempotencyKey: key ?? '',
    expectedVersion,
    traceparent: typeof trace === 'string' && traceparent.test(trace) ? trace : '',
  };
}

/** Injects the CommandMetadata of the current request into a command handler. */
export const CommandMeta = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  commandMetadataFrom(context.switchToHttp().getRequest<FastifyRequest>()),
);
