import path from 'node:path';
import { Metadata, type CallOptions } from '@grpc/grpc-js';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import {
  adminGrpcService,
  grpcLoaderOptions,
  grpcServices,
  protoRoot,
  type admin,
  type audit,
  type identityDocuments,
  type intake,
  type legal,
  type notifications,
} from '@homeward/contracts';
import { bearerMetadataKey, grpcClientSecurity, type GrpcCallerAuth } from '@homeward/security';
import type { FastifyRequest } from 'fastify';
import { firstValueFrom, type Observable } from 'rxjs';

/**
 * A generated client whose methods also take grpc-js call options (for the deadline). Nest's gRPC
 * proxy passes every argument through to grpc-js, so this is what it really accepts; a plain
 * object implementing the generated interface still fits, which is what tests hand in.
 */
type WithCallOptions<Client> = {
  [Method in keyof Client]: Client[Method] extends (request: infer Request, metadata?: Metadata) => infer Response
    ? (request: Request, metadata: Metadata, options: CallOptions) => Response
    : never;
};

export type IntakeClient = WithCallOptions<intake.IntakeServiceClient>;
export type LegalClient = WithCallOptions<legal.LegalServiceClient>;
export type IdentityDocumentsClient = WithCallOptions<identityDocuments.IdentityDocumentsServiceClient>;
export type NotificationsClient = WithCallOptions<notifications.NotificationsServiceClient>;
export type AuditClient = WithCallOptions<audit.AuditServiceClient>;
export type AdminClient = WithCallOptions<admin.AdminServiceClient>;

/** Every service serves the admin surface beside its own, on its own port. */
export const adminTargets = Object.keys(grpcServices) as Array<keyof typeof grpcServices>;
export type AdminClients = Partial<Record<keyof typeof grpcServices, AdminClient>>;

export const commandDeadlineMs = 5_000;
export const healthDeadlineMs = 1_000;

/** The request a call is made for: its correlation id, and the user's token once the auth guard verified it. */
export type CallerRequest = Pick<FastifyRequest, 'correlationId' | 'principal' | 'headers'>;

/**
 * The trailing arguments of a call: metadata carrying the correlation id and, for a user's request,
 * the user's bearer token (the service verifies it again and takes the command's actor from it),
 * and a deadline. A correlation id alone is for calls that no user's token stands behind: the
 * operator surface (the gateway's own role check) and health probes.
 */
export function callOptions(deadlineMs: number, request?: CallerRequest | string): [Metadata, CallOptions] {
  const metadata = new Metadata();
  const correlationId = typeof request === 'string' ? request : request?.correlationId;
  if (correlationId) metadata.set('x-correlation-id', correlationId);
  const authorization = typeof request === 'object' && request.principal ? request.headers.authorization : undefined;
  if (authorization) metadata.set(bearerMetadataKey, authorization);
  return [metadata, { deadline: Date.now() + deadlineMs }];
}

/** The single answer of a unary call. */
export const unary = <T>(call: Observable<T>): Promise<T> => firstValueFrom(call);

export interface GrpcClients {
  intake: IntakeClient;
  legal: LegalClient;
  identityDocuments: IdentityDocumentsClient;
  notifications: NotificationsClient;
  audit: AuditClient;
  admin: AdminClients;
  close(): void;
}

/**
 * Opens the channels to the services; they connect lazily and stay open. Every call carries the
 * caller secret (development) or the gateway's client certificate (CN=gateway): the services
 * answer each method only to the callers their table lists.
 */
export function connectGrpcClients(urls: Record<keyof typeof grpcServices, string>, callerAuth: GrpcCallerAuth): GrpcClients {
  const security = grpcClientSecurity(callerAuth);
  const secured = { credentials: security.credentials, channelOptions: { interceptors: security.interceptors } };
  const proxies = (Object.keys(grpcServices) as Array<keyof typeof grpcServices>).map((name) => {
    const service = grpcServices[name];
    const proxy = ClientProxyFactory.create({
      transport: Transport.GRPC,
      options: {
        url: urls[name],
        package: service.package,
        protoPath: path.join(protoRoot, service.file),
        loader: grpcLoaderOptions,
        ...secured,
      },
    });
    return [name, proxy, proxy.getService(service.service)] as const;
  });
  const client = <T>(name: keyof typeof grpcServices) => proxies.find(([n]) => n === name)![2] as T;
  const adminProxies = adminTargets.map((name) => {
    const proxy = ClientProxyFactory.create({
      transport: Transport.GRPC,
      options: {
        url: urls[name],
        package: adminGrpcService.package,
        protoPath: path.join(protoRoot, adminGrpcService.file),
        loader: grpcLoaderOptions,
        ...secured,
      },
    });
    return [name, proxy, proxy.getService<AdminClient>(adminGrpcService.service)] as const;
  });
  return {
    intake: client<IntakeClient>('intake'),
    legal: client<LegalClient>('legal'),
    identityDocuments: client<IdentityDocumentsClient>('identity-documents'),
    notifications: client<NotificationsClient>('notifications'),
    audit: client<AuditClient>('audit'),
    admin: Object.fromEntries(adminProxies.map(([name, , service]) => [name, service])),
    close() {
      for (const [, proxy] of [...proxies, ...adminProxies]) proxy.close();
    },
  };
}
