// A plain gRPC client of the legal service, from the same proto and loader options the gateway
// uses, for tests that boot the service in-process.
import type { ServiceError } from '@grpc/grpc-js';
import type { common, legal } from '@homeward/contracts';
import { grpcTestClient } from '@homeward/testing';

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

export { freePort } from '@homeward/testing';

export function legalClient(url: string): LegalTestClient {
  return grpcTestClient<LegalTestClient>('legal', url);
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
