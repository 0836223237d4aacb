// The policy the roles table must keep, whoever adds a route: auditors read and never write,
// operators run the machinery and never see a person, nothing else is public.
import { describe, expect, it } from '@jest/globals';
import { routeRoles } from './route-roles.js';

const routes = Object.entries(routeRoles).map(([route, access]) => {
  const [method, path] = route.split(' ') as [string, string];
  return { route, method, path, roles: access === 'public' ? [] : [...access], isPublic: access === 'public' };
});

describe('the roles table', () => {
  it('gives auditors no command, and only the audit log and chain verification to read', () => {
    const auditor = routes.filter((entry) => entry.roles.includes('auditor'));
    expect(auditor.filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect(auditor.map((entry) => entry.path).filter((path) => !path.startsWith('/v1/audit/') && !/^\/v1\/admin\/streams\/.*\/verify$/.test(path))).toEqual([]);
  });

  it('gives operators only the operator surface, the health details and the metrics, none holding a personal field', () => {
    const operator = routes.filter((entry) => entry.roles.includes('operator'));
    expect(operator.length).toBeGreaterThan(0);
    expect(operator.map((entry) => entry.path).filter((path) => !path.startsWith('/v1/admin/') && path !== '/health/details' && path !== '/metrics')).toEqual([]);
  });

  it('lets admin do everything that is not public, and leaves only the health verdicts public', () => {
    expect(routes.filter((entry) => !entry.isPublic && !entry.roles.includes('admin')).map((entry) => entry.route)).toEqual([]);
    expect(routes.filter((entry) => entry.isPublic).map((entry) => entry.route).sort()).toEqual(['GET /health', 'GET /health/live']);
  });
});
