// A plain gRPC client of the audit service, from the same proto and loader options the gateway
// uses, for tests that boot the service in-process.
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { audit } from '@homeward/contracts';
import type { Observable } from 'rxjs';
import { grpcTestClient, rawGrpcClient } from '@homeward/testing';

type Unary<Request, Response> = (request: Request) => Promise<Response>;

type Unaries = {
  [Method in Exclude<keyof audit.AuditServiceClient, 'exportEvents'>]: audit.AuditServiceClient[Method] extends (
    request: infer Request,
    ...rest: never[]
  ) => Observable<infer Response>
    ? Unary<Request, Response>
    : never;
};

/** Every unary method of AuditService as a promise, and the export collected whole (tests only). */
export interface AuditTestClient extends Unaries {
  exportEvents: (filter: audit.EventFilter) => Promise<audit.AuditEvent[]>;
  close(): void;
}

export { freePort } from '@homeward/testing';

export function auditClient(url: string): AuditTestClient {
  const unary = grpcTestClient<Omit<AuditTestClient, 'exportEvents'>>('audit', url);
  const raw = rawGrpcClient('audit', url);
  const exportEvents = (filter: audit.EventFilter) =>
    new Promise<audit.AuditEvent[]>((resolve, reject) => {
      const items: audit.AuditEvent[] = [];
      const stream = (raw as unknown as Record<string, (request: unknown) => ClientReadableStream<audit.AuditEvent>>)['ExportEvents']!(
        filter,
      );
      stream.on('data', (item: audit.AuditEvent) => items.push(item));
      stream.on('error', reject);
      stream.on('end', () => resolve(items));
    });
  const close = () => {
    unary.close();
    raw.close();
  };
  return new Proxy({} as AuditTestClient, {
    get: (_target, method: string) =>
      method === 'exportEvents' ? exportEvents : method === 'close' ? close : unary[method as keyof typeof unary],
  });
}
