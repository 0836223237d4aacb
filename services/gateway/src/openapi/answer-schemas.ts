// What @nestjs/swagger writes for the answers, made to say what the gateway answers: to a client
// generated from the document, and to a strict validator.
import type { OpenAPIObject } from '@nestjs/swagger';
import { visible } from '../auth/field-table.js';
import { readAnswers } from '../auth/field-views.js';
import { routeRoles } from '../auth/route-roles.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[]; items?: Schema; $ref?: string };

/** The operation of `METHOD /path/:param` (as route-roles.ts names routes) in the document. */
export function operationOf(document: OpenAPIObject, route: string): OpenAPIObject['paths'][string]['get'] {
  const [method, pattern] = route.split(' ') as [string, string];
  return document.paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase() as 'get'];
}

/**
 * A field is required only where every role a read route admits that sees its object sees it too:
 * the role-by-field table leaves out (absent, not null) what a role may not see.
 */
export function requiredOnlyWhereEveryReaderSees(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (schema: Schema): Schema => (schema.$ref ? (schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {}) : schema);
  for (const [route, answer] of Object.entries(readAnswers)) {
    const readers = routeRoles[route];
    const response = operationOf(document, route)?.responses['200'] as { content?: Record<string, { schema?: Schema }> } | undefined;
    const schema = response?.content?.['application/json']?.schema;
    if (!Array.isArray(readers) || !schema) continue;
    const walked = new Map<Schema, Set<string>>();
    const walk = (node: Schema, path: string[]): void => {
      const at = resolve(node);
      const paths = walked.get(at) ?? walked.set(at, new Set()).get(at)!;
      if (paths.has(path.join('.'))) return;
      paths.add(path.join('.'));
      for (const branch of ['allOf', 'oneOf', 'anyOf'].flatMap((keyword) => (at[keyword] as Schema[] | undefined) ?? []))
        walk(branch, path);
      if (at.items) walk(at.items, path);
      for (const [name, property] of Object.entries(at.properties ?? {})) {
        const field = [...path, name];
        const sometimesAbsent = readers.some(
          (role) => (path.length === 0 || visible(answer.table, path, [role])) && !visible(answer.table, field, [role]),
        );
        if (at.required && sometimesAbsent) at.required = at.required.filter((required) => required !== name);
        walk(property, field);
      }
      if (at.required?.length === 0) delete at.required;
    };
    walk(schema, []);
  }
}

/**
 * OpenAPI 3.0.3 lets `nullable` admit null only past the `type` beside it: every other keyword still
 * applies, so `{ nullable, allOf: [$ref] }` (what @nestjs/swagger writes for a nullable class) and a
 * nullable `enum` without null refuse null to a strict validator or client generator. Said so they admit it.
 */
export function nullableAsOpenApi303(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(nullableAsOpenApi303);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema['nullable'] === true) {
    const allOf = schema['allOf'] as unknown[] | undefined;
    if (allOf?.length === 1) {
      delete schema['nullable'];
      delete schema['type'];
      delete schema['allOf'];
      schema['oneOf'] = [allOf[0], { type: 'object', nullable: true, enum: [null] }];
    }
    const values = schema['enum'] as unknown[] | undefined;
    if (values && !values.includes(null)) values.push(null);
  }
  Object.values(schema).forEach(nullableAsOpenApi303);
}
