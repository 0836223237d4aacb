import path from 'node:path';
import { Metadata, type CallOptions } from '@grpc/grpc-js';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { grpcLoaderOptions, grpcServices, protoRoot, type identityDocuments, type intake, type legal, type notifications } from '@homeward/contracts';
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

export const commandDeadlineMs = 5_000;
export const healthDeadlineMs = 1_000;

/** The trailing arguments of a call: metadata carrying the correlation id, and a deadline. */
export function callOptions(deadlineMs: number, correlationId?: string): [Metadata, CallOptions] {
  const metadata = new Metadata();
  if (correlationId) metadata.set('x-correlation-id', correlationId);
  return [metadata, { deadline: Date.now() + deadlineMs }];
}

/** The single answer of a unary call. */
export const unary = <T>(call: Observable<T>): Promise<T> => firstValueFrom(call);

export interface GrpcClients {
  intake: IntakeClient;
  legal: LegalClient;
  identityDocuments: IdentityDocumentsClient;
  notifications: NotificationsClient;
  close(): void;
}

/** Opens the channels to the services; they connect lazily and stay open. */
export function connectGrpcClients(urls: Record<keyof typeof grpcServices, string>): GrpcClients {
  const proxies = (Object.keys(grpcServices) as Array<keyof typeof grpcServices>).map((name) => {
    const service = grpcServices[name];
    const proxy = ClientProxyFactory.create({
      transport: Transport.GRPC,
      options: { url: urls[name], package: service.package, protoPath: path.join(protoRoot, service.file), loader: grpcLoaderOptions },
    });
    return [name, proxy, proxy.getService(service.service)] as const;
  });
  const client = <T>(name: keyof typeof grpcServices) => proxies.find(([n]) => n === name)![2] as T;
  return {
    intake: client<IntakeClient>('intake'),
    legal: client<LegalClient>('legal'),
    identityDocuments: client<IdentityDocumentsClient>('identity-documents'),
    notifications: client<NotificationsClient>('notifications'),
    close() {
      for (const [, proxy] of proxies) proxy.close();
    },
  };
}
