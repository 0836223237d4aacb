import { describe, expect, it } from '@jest/globals';
import { answerChecker, type OpenApiDocument } from './answer-schema.js';

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const document = {
  paths: {
    '/v1/things/{thingId}': {
      get: {
        responses: {
          200: json({ $ref: '#/components/schemas/Thing' }),
          404: problem,
        },
      },
    },
    '/v1/things/count': {
      get: { responses: { 200: json({ type: 'object', properties: { count: { type: 'number' } }, required: ['count'] }) } },
    },
  },
  components: {
    schemas: {
      Problem: { type: 'object', properties: { status: { type: 'number' } }, required: ['status'] },
      Part: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } }, required: ['at'] },
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          note: { type: 'string', nullable: true },
          kind: { type: 'string', nullable: true, enum: ['a', 'b'] },
          part: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Part' }] },
          other: { oneOf: [{ $ref: '#/components/schemas/Part' }, { type: 'object', nullable: true, enum: [null] }] },
        },
        required: ['id'],
      },
    },
  },
} as unknown as OpenApiDocument;

const checker = answerChecker(document);
const id = '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70';
const check = (body: unknown, status = 200, url = `/v1/things/${id}?x=1`, contentType: string | null = 'application/json; charset=utf-8') =>
  checker.check('GET', url, status, contentType, body);

describe('an answer checked against /openapi.json', () => {
  it('passes when it matches, formats and nullable types included', () => {
    expect(check({ id, note: null, other: null })).toEqual([]);
    expect(check({ id, other: { at: '2025-09-11T14:00:00Z' } })).toEqual([]);
    expect(check({ status: 404 }, 404, `/v1/things/${id}`, 'application/problem+json')).toEqual([]);
  });

  it('names route, status and the place in the body of a mismatch, never the value', () => {
    expect(check({ id: 'batch-1' })).toEqual(['GET /v1/things/{thingId} 200: body/id must match format "uuid"']);
    expect(check({ id, other: { at: 'yesterday' } })).toEqual(
      expect.arrayContaining(['GET /v1/things/{thingId} 200: body/other/at must match format "date-time"']),
    );
  });

  it('reads nullable as OpenAPI 3.0.3 does: beside a type only, never past an enum or an allOf', () => {
    expect(check({ id, kind: null })).toEqual(
      expect.arrayContaining(['GET /v1/things/{thingId} 200: body/kind must be equal to one of the allowed values']),
    );
    expect(check({ id, part: null })).not.toEqual([]);
  });

  it('refuses a status or a content type the document does not declare', () => {
    expect(check({ status: 409 }, 409, `/v1/things/${id}`, 'application/problem+json')).toEqual([
      'GET /v1/things/{thingId} 409: the document declares no 409 answer for this route',
    ]);
    expect(check({ status: 404 }, 404)).toEqual([
      'GET /v1/things/{thingId} 404: answered application/json, which the document does not describe for it',
    ]);
  });

  it('reads a literal segment before a parameter, and leaves routes outside the document alone', () => {
    expect(check({ count: 1 }, 200, '/v1/things/count')).toEqual([]);
    expect(check('# HELP', 200, '/metrics', 'application/json')).toEqual([]);
  });
});
