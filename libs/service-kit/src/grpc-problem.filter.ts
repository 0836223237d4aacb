// The one mapping from errors to gRPC status inside services: a DomainError keeps its kind and
// stable code (as trailing metadata the gateway turns into problem+json); anything else is an
// internal error whose details never leave the service.
import { Metadata } from '@grpc/grpc-js';
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, errorCodeMetadataKey, problemKindMetadataKey, problemKinds } from '@homeward/decider';
import { throwError, type Observable } from 'rxjs';
import { loggableError, type Logger } from '@homeward/observability';

export interface GrpcError {
  code: number;
  details: string;
  metadata: Metadata;
}

export function toGrpcError(error: unknown, logger?: Logger): GrpcError {
  const metadata = new Metadata();
  if (error instanceof DomainError) {
    metadata.set(problemKindMetadataKey, error.kind);
    metadata.set(errorCodeMetadataKey, error.code);
    return { code: problemKinds[error.kind].grpc, details: error.message, metadata };
  }
  logger?.error({ err: loggableError(error) }, 'unexpected error in a gRPC handler');
  metadata.set(problemKindMetadataKey, 'internal');
  return { code: problemKinds.internal.grpc, details: 'internal error', metadata };
}

@Catch()
export class GrpcProblemFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger?: Logger) {}

  catch(exception: unknown): Observable<never> {
    return throwError(() => toGrpcError(exception, this.logger));
  }
}
