import { ParseUUIDPipe, ValidationPipe } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import type { ValidationError } from 'class-validator';
import { validationFailed, type FieldError } from '../problems/problem.js';

/** Field path of a nested error: `aliases[2]`, `deportation.toCountry`. */
function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = error.property ?? '';
    const field = !parent ? property || 'body' : /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/**
 * Bodies and queries: unknown fields are refused, values are checked against the DTO, and the
 * errors name fields and rules without echoing a value (class-validator's default messages do
 * not quote values; ours use $property only).
 */
export const validationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    validatorPackage: classValidator,
    transformerPackage: classTransformer,
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });

/** A path parameter that must be a UUID. */
export const uuidParam = (field: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () => validationFailed([{ field, rule: 'isUuid', message: `${field} must be a UUID` }]),
  });
