import { ParseUUIDPipe, ValidationPipe, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
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

/** No DTO nests deeper than a few levels; a body that does is refused before it is walked. */
export const maxBodyDepth = 16;

/** The nesting depth of a parsed JSON value, measured without recursion (so without a stack to blow). */
export function depthOf(value: unknown, limit = maxBodyDepth): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Bodies and queries: too deep a value is refused at once (class-transformer recurses, and a
 * few thousand levels overflow its stack), unknown fields are refused, values are checked against
 * the DTO, and the errors name fields and rules without echoing a value (class-validator's
 * default messages do not quote values; ours use $property only).
 */
export const validationPipe = (): PipeTransform => {
  const pipe = dtoPipe();
  return {
    transform(value: unknown, metadata: ArgumentMetadata) {
      if (depthOf(value) > maxBodyDepth) {
        throw validationFailed([
          {
            field: metadata.type === 'body' ? 'body' : metadata.type,
            rule: 'maxDepth',
            message: `values may nest at most ${maxBodyDepth} levels deep`,
          },
        ]);
      }
      // Nest would read a JSON `null` as an empty object: no command takes null.
      if (metadata.type === 'body' && value === null)
        throw validationFailed([{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object' }]);
      return pipe.transform(value, metadata);
    },
  };
};

const dtoPipe = (): ValidationPipe =>
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
