import type { Role } from '@homeward/security';

export type Access = readonly Role[] | 'public';

/**
 * Who may call what: `METHOD /path/:param`, as Fastify names the route. This is the only place
 * that grants access. A route missing here answers 403 to every caller (deny by default); 'public'
 * routes need no token. /docs and /openapi.json are served outside Nest and need none either.
 */
export const routeRoles: Readonly<Record<string, Access>> = {
  'GET /health': 'public',
  'GET /metrics': 'public',

  'POST /v1/people': ['intake', 'admin'],
  'GET /v1/people/:personId': ['intake', 'legal', 'documents', 'notifications', 'admin'],
  'POST /v1/people/:personId/release': ['intake', 'admin'],
  'POST /v1/people/:personId/deportation': ['intake', 'admin'],

  'GET /v1/legal/cases': ['legal', 'admin'],
};

/** The table's entry for a request; HEAD is answered like the GET it mirrors. */
export function accessFor(method: string, routePattern: string | undefined): Access | undefined {
  if (routePattern === undefined) return undefined;
  const key = `${method === 'HEAD' ? 'GET' : method} ${routePattern}`;
  return Object.hasOwn(routeRoles, key) ? routeRoles[key] : undefined;
}
