// A plain gRPC client of the audit service, from the same proto and loader options the gateway
// uses, for tests that boot the service in-process.
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { audit } from '@homeward/contracts';
import { grpcTestClient, rawGrpcClient } from '@homeward/testing';

type Unary<Request, Response> = (request: Request) => Promise<Response>;

export interface AuditTestClient {
  searchEvents: Unary<audit.SearchEventsRequest, audit.SearchEventsResponse>;
  /** Collects the whole stream (tests only). */
  exportEvents: (filter: audit.EventFilter) => Promise<audit.AuditEvent[]>;
  subjectsOf: Unary<audit.EventFilter, audit.SubjectsOfResponse>;
  verifyStream: Unary<audit.VerifyStreamRequest, audit.StreamVerification>;
  verifySource: Unary<audit.VerifySourceRequest, audit.SourceVerification>;
  recordAccess: Unary<audit.RecordAccessRequest, audit.RecordAccessResponse>;
  listAccessLog: Unary<audit.ListAccessLogRequest, audit.ListAccessLogResponse>;
  close(): void;
}

export { freePort } from '@homeward/testing';

export function auditClient(url: string): AuditTestClient {
  const unary = grpcTestClient<Omit<AuditTestClient, 'exportEvents'>>('audit', url);
  const raw = rawGrpcClient('audit', url);
  return {
    searchEvents: (request) => unary.searchEvents(request),
    exportEvents: (filter) =>
      new Promise((resolve, reject) => {
        const items: audit.AuditEvent[] = [];
        const stream = (raw as unknown as Record<string, (request: unknown) => ClientReadableStream<audit.AuditEvent>>)['ExportEvents']!(filter);
        stream.on('data', (item: audit.AuditEvent) => items.push(item));
        stream.on('error', reject);
        stream.on('end', () => resolve(items));
      }),
    subjectsOf: (request) => unary.subjectsOf(request),
    verifyStream: (request) => unary.verifyStream(request),
    verifySource: (request) => unary.verifySource(request),
    recordAccess: (request) => unary.recordAccess(request),
    listAccessLog: (request) => unary.listAccessLog(request),
    close: () => {
      unary.close();
      raw.close();
    },
  };
}
