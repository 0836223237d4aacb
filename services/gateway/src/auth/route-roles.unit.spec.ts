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
    // Signing a checkpoint of the transparency log records no fact: it signs the log as it stands.
    expect(auditor.filter((entry) => entry.method !== 'GET').map((entry) => entry.route)).toEqual(['POST /v1/audit/checkpoints']);
    expect(
      auditor
        .map((entry) => entry.path)
        .filter((path) => !path.startsWith('/v1/audit/') && !/^\/v1\/admin\/streams\/.*\/verify$/.test(path)),
    ).toEqual([]);
  });

  it('gives operators only the operator surface, the health details and the metrics, none holding a personal field', () => {
    const operator = routes.filter((entry) => entry.roles.includes('operator'));
    expect(operator.length).toBeGreaterThan(0);
    expect(
      operator
        .map((entry) => entry.path)
        .filter((path) => !path.startsWith('/v1/admin/') && path !== '/health/details' && path !== '/metrics'),
    ).toEqual([]);
  });

  it('gives witnesses only the log key, checkpoints and consistency proofs, and their cosignature: no leaf, no person', () => {
    const witness = routes.filter((entry) => entry.roles.includes('witness')).map((entry) => entry.route);
    expect(witness.sort()).toEqual([
      'GET /v1/audit/checkpoint',
      'GET /v1/audit/checkpoints/:treeSize',
      'GET /v1/audit/key',
      'GET /v1/audit/proofs/consistency',
      'POST /v1/audit/checkpoints/:treeSize/cosignatures',
    ]);
  });

  it('lets admin do everything that is not public but cosign as a witness, and leaves only the health verdicts public', () => {
    // A cosignature is a partner organisation's own word, posted with its own token.
    expect(routes.filter((entry) => !entry.isPublic && !entry.roles.includes('admin')).map((entry) => entry.route)).toEqual([
      'POST /v1/audit/checkpoints/:treeSize/cosignatures',
    ]);
    expect(
      routes
        .filter((entry) => entry.isPublic)
        .map((entry) => entry.route)
        .sort(),
    ).toEqual(['GET /health', 'GET /health/live']);
  });
});
