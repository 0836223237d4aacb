import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { describeFields } from '../auth/field-table.js';
import { readAnswers } from '../auth/field-views.js';
import { routeRoles } from '../auth/route-roles.js';
import { nullableAsOpenApi303, operationOf, requiredOnlyWhereEveryReaderSees } from './answer-schemas.js';

export const bearerScheme = 'bearer';

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Homeward gateway')
    .setDescription('REST API for internal apps. Errors are RFC 9457 application/problem+json.')
    .setVersion('1')
    .setLicense('AGPL-3.0-only', 'https://www.gnu.org/licenses/agpl-3.0.html')
    // Relative: the paths are on the host that served this document, wherever it is deployed.
    .addServer('/', 'The gateway that served this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, bearerScheme)
    .build();
  const document = withFieldsByRole(SwaggerModule.createDocument(app, config));
  for (const [route, access] of Object.entries(routeRoles)) {
    // Said outright, so that a client (and a linter) knows the route needs no token at all.
    if (access === 'public') operationOf(document, route)!.security = [];
  }
  requiredOnlyWhereEveryReaderSees(document);
  nullableAsOpenApi303(document);
  return document;
}

/**
 * Each read route's description says what each role it admits gets, written from the role-by-field
 * table (field-views.ts) and the route-role table, so the text cannot drift from what is served.
 */
function withFieldsByRole(document: OpenAPIObject): OpenAPIObject {
  for (const [route, answer] of Object.entries(readAnswers)) {
    const operation = operationOf(document, route);
    const access = routeRoles[route];
    if (!operation || !Array.isArray(access)) continue;
    const lines = access.map((role) => `- **${role}**: ${describeFields(answer.table, role)}`);
    const logged = answer.logs
      ? '\n\nA read of personal data: written to the access log (who, roles, route, the people it names, the fields shown) before it is ' +
        'answered; 503 when it cannot be.'
      : '';
    const text = `**Fields by role** (absent when not granted):\n${lines.join('\n')}${logged}`;
    operation.description = operation.description ? `${operation.description}\n\n${text}` : text;
  }
  return document;
}

/** The document at /openapi.json and Swagger UI at /docs (its assets through @fastify/static). */
/** /openapi.json always; the /docs page only when `ui` (development, or GATEWAY_DOCS=1 in production). */
export function serveOpenApi(app: NestFastifyApplication, { ui }: { ui: boolean }): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'openapi.json', raw: ['json'], ui });
}
