// A plain gRPC client of the legal service, from the same proto and loader options the gateway
// uses, for tests that boot the service in-process.
import net from 'node:net';
import path from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcLoaderOptions, grpcServices, protoRoot, type common, type legal } from '@homeward/contracts';

type Unary<Request, Response> = (request: Request) => Promise<Response>;

export interface LegalTestClient {
  listCases: Unary<Partial<legal.ListCasesRequest>, legal.ListCasesResponse>;
  getCase: Unary<legal.GetCaseRequest, legal.LegalCase>;
  flagViolation: Unary<legal.FlagViolationRequest, common.CommandResult>;
  confirmViolation: Unary<legal.ConfirmViolationRequest, common.CommandResult>;
  dismissViolation: Unary<legal.DismissViolationRequest, common.CommandResult>;
  attachEvidence: Unary<legal.AttachEvidenceRequest, common.CommandResult>;
  fileSubmission: Unary<legal.FileSubmissionRequest, common.CommandResult>;
  changeSubmissionStatus: Unary<legal.ChangeSubmissionStatusRequest, common.CommandResult>;
  listPatterns: Unary<Partial<legal.ListPatternsRequest>, legal.ListPatternsResponse>;
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

export function legalClient(url: string): LegalTestClient {
  const service = grpcServices.legal;
  const definition = loadSync(path.join(protoRoot, service.file), grpcLoaderOptions);
  const namespace = loadPackageDefinition(definition) as unknown as Record<string, Record<string, Record<string, Record<string, new (...args: unknown[]) => Client>>>>;
  const Constructor = namespace['homeward']!['legal']!['v1']![service.service]!;
  const client = new Constructor(url, credentials.createInsecure()) as Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: unknown) => void) => void>;
  const unary =
    <Request, Response>(method: string): Unary<Request, Response> =>
    (request) =>
      new Promise((resolve, reject) => client[method]!(request, (error, response) => (error ? reject(error) : resolve(response as Response))));
  return {
    listCases: unary('ListCases'),
    getCase: unary('GetCase'),
    flagViolation: unary('FlagViolation'),
    confirmViolation: unary('ConfirmViolation'),
    dismissViolation: unary('DismissViolation'),
    attachEvidence: unary('AttachEvidence'),
    fileSubmission: unary('FileSubmission'),
    changeSubmissionStatus: unary('ChangeSubmissionStatus'),
    listPatterns: unary('ListPatterns'),
    close: () => client.close(),
  };
}

/** The problem trailers of a refused call: its kind and stable code. Fails if the call succeeds. */
export async function refusedWith(call: Promise<unknown>): Promise<{ kind: string; code: string }> {
  const error = await call.then(
    () => {
      throw new Error('the call was expected to be refused');
    },
    (refused: unknown) => refused as ServiceError,
  );
  const metadata = error.metadata;
  return { kind: String(metadata?.get('homeward-problem-kind')[0] ?? ''), code: String(metadata?.get('homeward-error-code')[0] ?? '') };
}
