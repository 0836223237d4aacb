// The legal routes in /openapi.json: every one there, guarded, with its parameters, body and
// answers, so that internal apps can be built from the document alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
    schemas: Record<
      string,
      { required?: string[]; properties: Record<string, { enum?: string[]; pattern?: string; minLength?: number; maxLength?: number }> }
    >;
  };
}

let gateway: Harness;
let document: Document;
beforeAll(async () => {
  gateway = await startGateway();
  document = (await gateway.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Document;
}, 30_000);
afterAll(() => gateway.close());

const commands: Array<[string, string, string[]]> = [
  ['/v1/legal/cases/{caseId}/violations', 'FlagViolationBody', ['caseId']],
  ['/v1/legal/cases/{caseId}/violations/{violationId}/confirm', 'ViolationDecisionBody', ['caseId', 'violationId']],
  ['/v1/legal/cases/{caseId}/violations/{violationId}/dismiss', 'ViolationDecisionBody', ['caseId', 'violationId']],
  ['/v1/legal/cases/{caseId}/evidence', 'AttachEvidenceBody', ['caseId']],
  ['/v1/legal/cases/{caseId}/submissions', 'FileSubmissionBody', ['caseId']],
  ['/v1/legal/cases/{caseId}/submissions/{submissionId}/status', 'ChangeSubmissionStatusBody', ['caseId', 'submissionId']],
];

describe('/openapi.json for legal', () => {
  it('lists every legal route, each behind the bearer scheme', () => {
    const legalRoutes = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/legal'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(legalRoutes.sort()).toEqual(
      ['GET /v1/legal/cases', 'GET /v1/legal/cases/{caseId}', 'GET /v1/legal/patterns', ...commands.map(([path]) => `POST ${path}`)].sort(),
    );
    for (const [path, operations] of Object.entries(document.paths).filter(([p]) => p.startsWith('/v1/legal'))) {
      for (const operation of Object.values(operations))
        expect({ path, security: operation.security }).toEqual({ path, security: [{ bearer: [] }] });
    }
  });

  it.each(commands)('POST %s: body, path and header parameters, and its answers', (path, body, params) => {
    const operation = document.paths[path]!['post']!;
    expect(operation.requestBody!.content['application/json']!.schema.$ref).toBe(`#/components/schemas/${body}`);
    expect(operation.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      [...params.map((p) => `path:${p}`), 'header:Idempotency-Key', 'header:If-Match'].sort(),
    );
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '201', '400', '401', '403', '404', '409', '413', '422', '500', '503']);
    expect(operation.responses['201']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/CommandResultView');
  });

  it('describes the rules of the bodies', () => {
    const schemas = document.components.schemas;
    expect(schemas['ViolationDecisionBody']).toMatchObject({
      required: ['reasoning'],
      properties: { reasoning: { minLength: 10, maxLength: 5000 } },
    });
    expect(schemas['AttachEvidenceBody']!.required!.sort()).toEqual(['description', 'kind', 'sha256', 'source']);
    expect(schemas['AttachEvidenceBody']!.properties['sha256']!.pattern).toBe('^[0-9a-fA-F]{64}$');
    expect(schemas['FileSubmissionBody']!.properties['forum']!.enum).toEqual([
      'un-human-rights-committee',
      'un-wgad',
      'un-special-rapporteur-belarus',
      'icc-otp',
      'osce',
    ]);
    expect(schemas['ChangeSubmissionStatusBody']!.properties['status']!.enum).toEqual([
      'drafted',
      'filed',
      'registered',
      'communicated',
      'decided',
      'rejected',
    ]);
  });

  it('describes the reads: filters and whole cases', () => {
    expect(document.paths['/v1/legal/cases']!['get']!.parameters!.map((p) => p.name).sort()).toEqual([
      'cursor',
      'limit',
      'personId',
      'provision',
    ]);
    expect(document.paths['/v1/legal/patterns']!['get']!.parameters!.map((p) => p.name).sort()).toEqual([
      'batchId',
      'cursor',
      'limit',
      'practice',
    ]);
    expect(document.paths['/v1/legal/cases/{caseId}']!['get']!.responses['200']!.content!['application/json']!.schema.$ref).toBe(
      '#/components/schemas/LegalCaseDetailView',
    );
    expect(Object.keys(document.components.schemas['LegalCaseDetailView']!.properties).sort()).toEqual(
      [
        'caseId',
        'deportation',
        'evidence',
        'openedAt',
        'personId',
        'provisions',
        'streamVersion',
        'submissions',
        'updatedAt',
        'violations',
      ].sort(),
    );
    expect(document.components.schemas['PatternIndicatorView']!.properties).toHaveProperty('peopleAffectedNow');
    expect(Object.keys(document.components.schemas['PatternIndicatorView']!.properties)).toEqual(
      expect.arrayContaining(['batchId', 'periodFrom', 'periodTo']),
    );
  });
});
