// Checks an answer of the gateway against the schema its own /openapi.json gives for the route,
// method, status and content type: what a client generated from that document expects to read.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const documentId = 'openapi.json';

/**
 * OpenAPI 3.0 to JSON Schema, as OpenAPI 3.0.3 reads `nullable`: it adds null to the `type` beside
 * it and to nothing else (an `enum` or an `allOf` there still has to admit null itself). `$ref`s
 * point into the document, which is registered whole under `documentId`.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...schema } = node as Record<string, unknown>;
  const converted = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === 'example' ? value : toJsonSchema(value)]),
  );
  if (typeof converted['$ref'] === 'string' && converted['$ref'].startsWith('#/')) converted['$ref'] = `${documentId}${converted['$ref']}`;
  if (nullable === true && typeof converted['type'] === 'string') converted['type'] = [converted['type'], 'null'];
  return converted;
}

const routePattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`);

export interface AnswerChecker {
  /**
   * The mismatches of one answer, each naming route, status and the place in the body; [] when it
   * matches or the route is not in the document.
   */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): string[];
}

export function answerChecker(document: OpenApiDocument): AnswerChecker {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema(toJsonSchema(document) as object, documentId);
  // Literal segments first, so /v1/people/batch is never read as /v1/people/{personId}.
  const routes = Object.keys(document.paths)
    .sort((a, b) => a.split('{').length - b.split('{').length)
    .map((path) => ({ path, pattern: routePattern(path) }));
  const validators = new Map<string, ValidateFunction>();

  return {
    check(method, url, status, contentType, body) {
      const pathname = new URL(url, 'http://gateway').pathname;
      const path = routes.find(({ pattern }) => pattern.test(pathname))?.path;
      const operation = path ? document.paths[path]![method.toLowerCase()] : undefined;
      if (!operation) return [];
      const route = `${method.toUpperCase()} ${path} ${status}`;
      const response =
        operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses['default'];
      if (!response) return [`${route}: the document declares no ${status} answer for this route`];
      const mediaType = contentType?.split(';')[0]!.trim() ?? '';
      if (!/^application\/(.+\+)?json$/.test(mediaType) || body === undefined) return [];
      const media = response.content?.[mediaType];
      if (!media?.schema) return [`${route}: answered ${mediaType}, which the document does not describe for it`];
      const key = `${route} ${mediaType}`;
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile(toJsonSchema(media.schema) as object);
        validators.set(key, validate);
      }
      if (validate(body)) return [];
      // Where in the body and which rule: never the value, which may be personal data.
      return (validate.errors ?? []).map((error) => `${route}: body${error.instancePath || ''} ${error.message ?? error.keyword}`);
    },
  };
}
