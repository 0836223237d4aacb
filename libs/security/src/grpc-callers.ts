// Who may call which gRPC method of a service, in one table. A caller is named by the subject CN
// of its client certificate under mutual TLS (CN=gateway, CN=operator); without TLS, in
// development only, the shared caller secret stands for the gateway. A method the table does not
// name is refused to everyone.
import type { PeerCertificate } from 'node:tls';

export const grpcCallerNames = ['gateway', 'operator'] as const;
export type GrpcCallerName = (typeof grpcCallerNames)[number];

/** The identity the caller secret stands for when there is no client certificate (development). */
export const secretCaller: GrpcCallerName = 'gateway';

export interface GrpcMethodAccess {
  callers: readonly GrpcCallerName[];
  /**
   * 'user': the call carries the end user's bearer token (`authorization` metadata), verified by
   * the service; a command's actor is that token's subject. 'none': nobody is behind the call but
   * the caller itself (a probe, an operator's tooling).
   */
  token: 'user' | 'none';
}

const throughGateway: GrpcMethodAccess = { callers: ['gateway'], token: 'user' };
const gatewayProbe: GrpcMethodAccess = { callers: ['gateway'], token: 'none' };
// The gateway serves the operator routes (its own role check: operator, admin; /metrics is public),
// and an operator's own tooling may call a service directly with its certificate.
const operators: GrpcMethodAccess = { callers: ['gateway', 'operator'], token: 'none' };

/** `/package.Service/Method`; `/package.Service/*` is the service's default. */
export const grpcCallerTable: Readonly<Record<string, GrpcMethodAccess>> = {
  '/homeward.intake.v1.IntakeService/*': throughGateway,
  '/homeward.intake.v1.IntakeService/Health': gatewayProbe,
  '/homeward.legal.v1.LegalService/*': throughGateway,
  '/homeward.legal.v1.LegalService/Health': gatewayProbe,
  '/homeward.identity_documents.v1.IdentityDocumentsService/*': throughGateway,
  '/homeward.identity_documents.v1.IdentityDocumentsService/Health': gatewayProbe,
  '/homeward.notifications.v1.NotificationsService/*': throughGateway,
  '/homeward.notifications.v1.NotificationsService/Health': gatewayProbe,
  '/homeward.audit.v1.AuditService/*': throughGateway,
  '/homeward.audit.v1.AuditService/Health': gatewayProbe,
  // A reconciliation runs on the operator surface, on its own schedule too: nobody's token is behind it.
  '/homeward.audit.v1.AuditService/CopiedStreamHeads': operators,
  '/homeward.audit.v1.AuditService/CopiedStreamEvents': operators,
  '/homeward.admin.v1.AdminService/*': operators,
};

/** The row for a method: its own, else its service's default; undefined when neither exists. */
export function grpcMethodAccess(
  methodPath: string,
  table: Readonly<Record<string, GrpcMethodAccess>> = grpcCallerTable,
): GrpcMethodAccess | undefined {
  const own = Object.hasOwn(table, methodPath) ? table[methodPath] : undefined;
  if (own) return own;
  const service = /^(\/[^/]+\/)[^/]+$/.exec(methodPath)?.[1];
  return service && Object.hasOwn(table, `${service}*`) ? table[`${service}*`] : undefined;
}

/** The caller a client certificate names: its subject CN when that is one of ours. */
export function callerOfCertificate(certificate: PeerCertificate | undefined): GrpcCallerName | undefined {
  const name: unknown = certificate?.subject?.CN;
  return grpcCallerNames.find((caller) => caller === name);
}
