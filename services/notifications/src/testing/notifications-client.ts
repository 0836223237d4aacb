// A plain gRPC client of the notifications service, from the same proto and loader options the
// gateway uses, for tests that boot the service in-process.
import net from 'node:net';
import path from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcLoaderOptions, grpcServices, protoRoot, type common, type notifications } from '@homeward/contracts';

type Unary<Request, Response> = (request: Request) => Promise<Response>;

export interface NotificationsTestClient {
  registerRecipient: Unary<notifications.RegisterRecipientRequest, common.CommandResult>;
  withdrawConsent: Unary<notifications.WithdrawConsentRequest, common.CommandResult>;
  changeFollows: Unary<notifications.ChangeFollowsRequest, common.CommandResult>;
  listDeliveries: Unary<notifications.ListDeliveriesRequest, notifications.ListDeliveriesResponse>;
  listWelfareChecks: Unary<notifications.ListWelfareChecksRequest, notifications.ListWelfareChecksResponse>;
  close(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function notificationsClient(url: string): NotificationsTestClient {
  const service = grpcServices.notifications;
  const definition = loadSync(path.join(protoRoot, service.file), grpcLoaderOptions);
  const namespace = loadPackageDefinition(definition) as unknown as Record<string, Record<string, Record<string, Record<string, new (...args: unknown[]) => Client>>>>;
  const Constructor = namespace['homeward']!['notifications']!['v1']![service.service]!;
  const client = new Constructor(url, credentials.createInsecure()) as Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: unknown) => void) => void>;
  const unary =
    <Request, Response>(method: string): Unary<Request, Response> =>
    (request) =>
      new Promise((resolve, reject) => client[method]!(request, (error, response) => (error ? reject(error) : resolve(response as Response))));
  return {
    registerRecipient: unary('RegisterRecipient'),
    withdrawConsent: unary('WithdrawConsent'),
    changeFollows: unary('ChangeFollows'),
    listDeliveries: unary('ListDeliveries'),
    listWelfareChecks: unary('ListWelfareChecks'),
    close: () => client.close(),
  };
}
