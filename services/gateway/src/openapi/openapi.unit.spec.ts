import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { routeRoles } from '../auth/route-roles.js';
import { startGateway, type Harness } from '../testing/gateway-harness.js';

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }>;
  };
}

let gateway: Harness;
let document: Document;
beforeAll(async () => {
  gateway = await startGateway();
  const response = await gateway.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  document = response.json() as Document;
}, 30_000);
afterAll(() => gateway.close());

const operation = (method: string, path: string) => document.paths[path]![method]!;

describe('/openapi.json', () => {
  it('lists exactly the routes of the roles table', () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // /metrics is served outside Nest, like /docs and /openapi.json.
    const granted = Object.keys(routeRoles)
      .filter((route) => route !== 'GET /metrics')
      .map((route) => route.replace(/:(\w+)/g, '{$1}'));
    expect(documented.sort()).toEqual(granted.sort());
  });

  it('declares the bearer scheme and the 401 problem on every route but the health ones, which say they need no token', () => {
    expect(document.components.securitySchemes['bearer']).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(operation('get', '/health').security).toEqual([]);
    expect(operation('get', '/health/live').security).toEqual([]);
    for (const [path, operations] of Object.entries(document.paths)) {
      if (path === '/health' || path === '/health/live') continue;
      for (const [method, described] of Object.entries(operations)) {
        expect({ route: `${method} ${path}`, security: described.security }).toEqual({
          route: `${method} ${path}`,
          security: [{ bearer: [] }],
        });
        expect(described.responses['401']!.content!['application/problem+json']!.schema.$ref).toBe('#/components/schemas/ProblemView');
      }
    }
  });

  it('describes bodies, headers, query parameters and problem answers', () => {
    const register = operation('post', '/v1/people');
    expect(register.requestBody!.content['application/json']!.schema.$ref).toBe('#/components/schemas/RegisterPersonBody');
    expect(Object.keys(register.responses).sort()).toEqual(['200', '201', '400', '401', '403', '409', '413', '422', '500', '503']);
    expect(register.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(operation('post', '/v1/people/{personId}/release').parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'If-Match', in: 'header' }),
        expect.objectContaining({ name: 'personId', in: 'path' }),
      ]),
    );
    expect(
      operation('get', '/v1/legal/cases')
        .parameters!.map((parameter) => parameter.name)
        .sort(),
    ).toEqual(['cursor', 'limit', 'personId', 'provision']);
    expect(
      operation('get', '/v1/people/{personId}')
        .parameters!.map((parameter) => parameter.name)
        .sort(),
    ).toEqual(['minVersion', 'personId']);

    const schemas = document.components.schemas;
    expect(schemas['RegisterPersonBody']!.required).toEqual(['fullName']);
    expect(Object.keys(schemas['RegisterPersonBody']!.properties).sort()).toEqual([
      'aliases',
      'batchId',
      'birthDate',
      'citizenships',
      'foreignNational',
      'fullName',
      'occupation',
    ]);
    expect(schemas['RecordReleaseBody']!.required!.sort()).toEqual(['mechanism', 'releasedAt']);
    expect(schemas['RecordDeportationBody']!.required!.sort()).toEqual(['consented', 'deportedAt', 'fromCountry', 'toCountry']);
    expect(Object.keys(schemas['ProblemView']!.properties).sort()).toEqual([
      'code',
      'detail',
      'errors',
      'instance',
      'status',
      'title',
      'type',
    ]);
    expect(schemas['PersonFileView']!.properties).toHaveProperty('legal');
  });

  it('says what the answers are: absent where a role may not see, null as OpenAPI 3.0.3 admits it, each view under its own name', () => {
    const schemas = document.components.schemas;
    // Required only where every role the route admits, that sees the object, sees the field.
    expect(schemas['PersonFileView']!.required).toEqual(['personId', 'streamVersion', 'status', 'registeredAt', 'updatedAt', 'forgotten']);
    expect(schemas['ImprisonmentView']!.required).toEqual(['sentenceMonths', 'sentenceStart', 'expectedRelease']);
    expect(schemas['PersonDocumentsView']!.required).toEqual(['personId', 'streamVersion', 'status', 'updatedAt']);
    expect(schemas['PersonFileView']!.properties['documents']).toEqual({
      description: expect.any(String),
      oneOf: [{ $ref: '#/components/schemas/PersonDocumentsView' }, { type: 'object', nullable: true, enum: [null] }],
    });
    expect(schemas['ReleaseView']!.properties['sentenceRemainingSource']).toEqual(
      expect.objectContaining({ type: 'string', nullable: true, enum: ['stated', 'derived', null] }),
    );

    const verify = operation('get', '/v1/audit/verify').responses['200']!.content!['application/json']!.schema as unknown as {
      oneOf: { $ref: string }[];
    };
    expect(verify.oneOf.map((shape) => shape.$ref)).toEqual([
      '#/components/schemas/AuditStreamVerificationView',
      '#/components/schemas/SourceVerificationView',
    ]);
    expect(Object.keys(schemas['AuditStreamVerificationView']!.properties).sort()).toEqual([
      'eventsChecked',
      'firstBroken',
      'streamId',
      'valid',
    ]);
    expect(Object.keys(schemas['ConsumerCheckpointView']!.properties).sort()).toEqual(['lag', 'offset', 'partition', 'topic']);
    expect(Object.keys(schemas['CheckpointView']!.properties)).toContain('rootHash');

    expect(operation('post', '/v1/release-batches').responses['201']!.content!['application/json']!.schema.$ref).toBe(
      '#/components/schemas/BatchCommandResultView',
    );
    expect(schemas['BatchCommandResultView']!.properties['id']).not.toHaveProperty('format');
    expect(schemas['CommandResultView']!.properties['id']).toHaveProperty('format', 'uuid');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });
});
