import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorView {
  @ApiProperty({ example: 'aliases[2]' }) field!: string;
  @ApiProperty({ example: 'maxLength' }) rule!: string;
  @ApiProperty({ example: 'each value in aliases must be shorter than or equal to 200 characters' }) message!: string;
}

export class ProblemView {
  @ApiProperty({ example: 'https://homeward.example/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'The request is not valid' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'The request is not valid' }) detail!: string;
  @ApiProperty({ example: '/v1/people' }) instance!: string;
  @ApiPropertyOptional({ description: 'Stable error code of a refused command', example: 'person.not-released' }) code?: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: 'validation-failed only: one entry per broken rule' })
  errors?: FieldErrorView[];
}

const meanings: Record<number, string> = {
  400: 'validation-failed: a field, parameter or header is not valid, or the body is not JSON',
  401: 'unauthenticated: no valid bearer token',
  403: 'forbidden: the token has none of the roles this route needs',
  404: 'not-found',
  409: 'version-conflict (If-Match is stale) or not-yet-consistent (minVersion not reached)',
  413: 'payload-too-large: the body is over 1 MiB',
  422: 'rule-violated or idempotency-key-reused; `code` says which rule',
  503: 'unavailable: a service did not answer',
};

/** Declares the application/problem+json answers a route may give. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemView, FieldErrorView),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: meanings[status] ?? 'problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } },
      }),
    ),
  );

/** Every route behind the guard may answer these. */
export const ApiGuardedProblems = (...statuses: number[]) => ApiProblems(401, 403, 500, 503, ...statuses);
