// A gRPC client for tests: built from default answers, each replaceable by a test, and recording
// what the gateway sent; failures as grpc-js reports them.
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { errorCodeMetadataKey, problemKindMetadataKey, type ProblemKind } from '@homeward/decider';
import { throwError, type Observable } from 'rxjs';

type Unary = (request: never, metadata?: Metadata) => Observable<unknown>;

export interface RecordedCall {
  method: string;
  request: unknown;
  /** Everything after the request: grpc metadata, then call options (the deadline). */
  rest: unknown[];
}

/**
 * A client built from default answers; `answers` replaces one for a test, `calls` records what
 * the gateway sent. It implements the generated interface, nothing more.
 */
export function fakeClient<Client extends { [Method in keyof Client]: Unary }>(defaults: Client) {
  const calls: RecordedCall[] = [];
  const answers: Partial<Client> = {};
  const client = Object.fromEntries(
    Object.keys(defaults).map((method) => [
      method,
      (request: never, ...rest: unknown[]) => {
        calls.push({ method, request, rest });
        const answer = (answers[method as keyof Client] ?? defaults[method as keyof Client]) as Unary;
        return answer(request, rest[0] as Metadata | undefined);
      },
    ]),
  ) as unknown as Client;
  return {
    client,
    calls,
    answers,
    reset() {
      calls.length = 0;
      for (const key of Object.keys(answers)) delete answers[key as keyof Client];
    },
  };
}

/** A gRPC failure as grpc-js reports it, with the problem trailers a service sets. */
export function grpcFailure(code: GrpcStatus, details: string, trailers: { kind?: ProblemKind; code?: string } = {}) {
  const metadata = new Metadata();
  if (trailers.kind) metadata.set(problemKindMetadataKey, trailers.kind);
  if (trailers.code) metadata.set(errorCodeMetadataKey, trailers.code);
  const error = Object.assign(new Error(`${code} ${GrpcStatus[code]}: ${details}`), { code, details, metadata });
  return throwError(() => error);
}
