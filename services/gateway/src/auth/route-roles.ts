import type { Role } from '@homeward/security';

export type Access = readonly Role[] | 'public';

/**
 * Who may call what: `METHOD /path/:param`, as Fastify names the route. This is the only place
 * that grants access. A route missing here answers 403 to every caller (deny by default); 'public'
 * routes need no token. /docs and /openapi.json are served outside Nest and need none either.
 */
export const routeRoles: Readonly<Record<string, Access>> = {
  'GET /health': 'public',
  'GET /health/live': 'public',
  // What is behind the gateway, and counts: for operators, and rate limited like every token.
  'GET /health/details': ['operator', 'admin'],
  'GET /metrics': ['operator', 'admin'],

  'POST /v1/people': ['intake', 'admin'],
  'GET /v1/people/:personId': ['intake', 'legal', 'documents', 'notifications', 'admin'],
  'POST /v1/people/:personId/release': ['intake', 'admin'],
  'POST /v1/people/:personId/deportation': ['intake', 'admin'],
  'POST /v1/people/:personId/imprisonment': ['intake', 'admin'],
  'POST /v1/people/:personId/detention-conditions': ['intake', 'admin'],
  'POST /v1/people/:personId/return-attempts': ['intake', 'admin'],
  'POST /v1/people/:personId/contact-lost': ['intake', 'admin'],
  'POST /v1/people/:personId/contact-reestablished': ['intake', 'admin'],
  'POST /v1/people/:personId/rearrest': ['intake', 'admin'],
  'DELETE /v1/people/:personId': ['admin'],
  'GET /v1/people': ['intake', 'legal', 'documents', 'notifications', 'admin'],
  'POST /v1/release-batches': ['intake', 'admin'],
  'GET /v1/release-batches/:batchId': ['intake', 'legal', 'documents', 'notifications', 'admin'],
  'POST /v1/release-batches/:batchId/import': ['intake', 'admin'],

  'GET /v1/legal/cases': ['legal', 'admin'],
  'GET /v1/legal/cases/:caseId': ['legal', 'admin'],
  'POST /v1/legal/cases/:caseId/violations': ['legal', 'admin'],
  'POST /v1/legal/cases/:caseId/violations/:violationId/confirm': ['legal', 'admin'],
  'POST /v1/legal/cases/:caseId/violations/:violationId/dismiss': ['legal', 'admin'],
  'POST /v1/legal/cases/:caseId/evidence': ['legal', 'admin'],
  'POST /v1/legal/cases/:caseId/submissions': ['legal', 'admin'],
  'POST /v1/legal/cases/:caseId/submissions/:submissionId/status': ['legal', 'admin'],
  'GET /v1/legal/patterns': ['legal', 'admin'],

  'POST /v1/people/:personId/documents/passport-confiscations': ['documents', 'admin'],
  'POST /v1/people/:personId/documents/passport-destructions': ['documents', 'admin'],
  'POST /v1/people/:personId/documents/temporary-certificates': ['documents', 'admin'],
  'POST /v1/people/:personId/documents/travel-document-applications': ['documents', 'admin'],
  'POST /v1/people/:personId/documents/travel-document-applications/:applicationId/decision': ['documents', 'admin'],
  'GET /v1/people/:personId/documents': ['documents', 'legal', 'intake', 'admin'],
  'GET /v1/documents/undocumented': ['documents', 'legal', 'admin'],

  'POST /v1/notifications/recipients': ['notifications', 'admin'],
  'POST /v1/notifications/recipients/:recipientId/consent-withdrawal': ['notifications', 'admin'],
  'POST /v1/notifications/recipients/:recipientId/follows': ['notifications', 'admin'],
  // The notifications desk honours a recipient's own request to be forgotten, as it registered
  // them: only notifications' data goes (not a person's file, whose erasure stays admin's).
  'DELETE /v1/notifications/recipients/:recipientId': ['notifications', 'admin'],
  'GET /v1/notifications/deliveries': ['notifications', 'admin'],
  'GET /v1/notifications/welfare-checks': ['notifications', 'admin'],

  'GET /v1/admin/projections': ['operator', 'admin'],
  'POST /v1/admin/projections/:service/:name/rebuild': ['operator', 'admin'],
  'GET /v1/admin/jobs/:jobId': ['operator', 'admin'],
  'GET /v1/admin/dead-letters': ['operator', 'admin'],
  'POST /v1/admin/dead-letters/:deadLetterId/retry': ['operator', 'admin'],
  'POST /v1/admin/replays': ['operator', 'admin'],
  'GET /v1/admin/streams/:service/:streamId/verify': ['operator', 'auditor', 'admin'],
  'POST /v1/admin/reconciliations': ['operator', 'admin'],
  'GET /v1/admin/reconciliations/:reconciliationId': ['operator', 'admin'],

  // Read-only: auditors have no command route anywhere in this table.
  'GET /v1/audit/events': ['auditor', 'admin'],
  'GET /v1/audit/events/export': ['auditor', 'admin'],
  'GET /v1/audit/verify': ['auditor', 'admin'],
  'GET /v1/audit/access-log': ['auditor', 'admin'],
  // The transparency log. Signing a checkpoint now records no fact (it signs the log as it stands),
  // so auditors may ask for one. A witness (a partner organisation) reads checkpoints and consistency
  // proofs, never a leaf; only a witness's own token posts a cosignature, which audit checks against
  // the witness keys it knows.
  'GET /v1/audit/key': ['auditor', 'admin', 'witness'],
  'GET /v1/audit/checkpoint': ['auditor', 'admin', 'witness'],
  'GET /v1/audit/checkpoints': ['auditor', 'admin'],
  'GET /v1/audit/checkpoints/:treeSize': ['auditor', 'admin', 'witness'],
  'POST /v1/audit/checkpoints': ['auditor', 'admin'],
  'POST /v1/audit/checkpoints/:treeSize/cosignatures': ['witness'],
  'GET /v1/audit/proofs/inclusion': ['auditor', 'admin'],
  'GET /v1/audit/proofs/consistency': ['auditor', 'admin', 'witness'],
  'GET /v1/audit/leaves': ['auditor', 'admin'],
  'GET /v1/audit/leaves/manifest': ['auditor', 'admin'],
};

/** The table's entry for a request; HEAD is answered like the GET it mirrors. */
export function accessFor(method: string, routePattern: string | undefined): Access | undefined {
  if (routePattern === undefined) return undefined;
  const key = `${method === 'HEAD' ? 'GET' : method} ${routePattern}`;
  return Object.hasOwn(routeRoles, key) ? routeRoles[key] : undefined;
}
