import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { validationFailed } from '../problems/problem.js';

/**
 * For a command that takes no body: anything sent is refused (400) rather than silently dropped.
 * A parameter decorator, not a DTO, so that the OpenAPI document keeps showing no request body.
 */
export const NoBody = createParamDecorator((_data: unknown, context: ExecutionContext): undefined => {
  const body = context.switchToHttp().getRequest<FastifyRequest>().body;
  if (body === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw validationFailed([{ field: 'body', rule: 'isEmpty', message: 'this command takes no body' }]);
  const fields = Object.keys(body);
  if (fields.length > 0)
    throw validationFailed(fields.map((field) => ({ field, rule: 'whitelistValidation', message: `property ${field} should not exist` })));
  return undefined;
});
