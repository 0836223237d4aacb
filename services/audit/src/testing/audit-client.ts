// A plain gRPC client of the audit service, from the same proto and loader options the gateway
// uses, for tests that boot the service in-process.
import net from 'node:net';
import path from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcLoaderOptions, grpcServices, protoRoot, type audit } from '@homeward/contracts';

type Unary<Request, Response> = (request: Request) => Promise<Response>;

export interface AuditTestClient {
  searchEvents: Unary<audit.SearchEventsRequest, audit.SearchEventsResponse>;
  /** Collects the whole stream (tests only). */
  exportEvents: (filter: audit.EventFilter) => Promise<audit.AuditEvent[]>;
  verifyStream: Unary<audit.VerifyStreamRequest, audit.StreamVerification>;
  verifySource: Unary<audit.VerifySourceRequest, audit.SourceVerification>;
  recordAccess: Unary<audit.RecordAccessRequest, audit.RecordAccessResponse>;
  listAccessLog: Unary<audit.ListAccessLogRequest, audit.ListAccessLogResponse>;
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

export function auditClient(url: string): AuditTestClient {
  const service = grpcServices.audit;
  const definition = loadSync(path.join(protoRoot, service.file), grpcLoaderOptions);
  const namespace = loadPackageDefinition(definition) as unknown as Record<string, Record<string, Record<string, Record<string, new (...args: unknown[]) => Client>>>>;
  const Constructor = namespace['homeward']!['audit']!['v1']![service.service]!;
  const client = new Constructor(url, credentials.createInsecure()) as Client &
    Record<string, (request: unknown, callback?: (error: ServiceError | null, response: unknown) => void) => ClientReadableStream<unknown>>;
  const unary =
    <Request, Response>(method: string): Unary<Request, Response> =>
    (request) =>
      new Promise((resolve, reject) => client[method]!(request, (error, response) => (error ? reject(error) : resolve(response as Response))));
  return {
    searchEvents: unary('SearchEvents'),
    exportEvents: (filter) =>
      new Promise((resolve, reject) => {
        const items: audit.AuditEvent[] = [];
        const stream = client['ExportEvents']!(filter);
        stream.on('data', (item: audit.AuditEvent) => items.push(item));
        stream.on('error', reject);
        stream.on('end', () => resolve(items));
      }),
    verifyStream: unary('VerifyStream'),
    verifySource: unary('VerifySource'),
    recordAccess: unary('RecordAccess'),
    listAccessLog: unary('ListAccessLog'),
    close: () => client.close(),
  };
}
