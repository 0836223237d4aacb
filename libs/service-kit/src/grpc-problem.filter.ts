// The one mapping from errors to gRPC status inside services: a DomainError keeps its kind and
// stable code (as trailing metadata the gateway turns into problem+json); anything else is an
// internal error whose details never leave the service.
import { Metadata, status } from '@grpc/grpc-js';
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, errorCodeMetadataKey, problemKindMetadataKey, type ProblemKind } from '@homeward/decider';
import { throwError, type Observable } from 'rxjs';
import { loggableError, type Logger } from '@homeward/observability';

/** Each problem kind's gRPC status: the services' edge of the mapping (the gateway holds the HTTP edge). */
export const grpcStatusOf = {
  'validation-failed': status.INVALID_ARGUMENT,
  'not-found': status.NOT_FOUND,
  'version-conflict': status.ABORTED,
  'not-yet-consistent': status.OUT_OF_RANGE,
  'rule-violated': status.FAILED_PRECONDITION,
  'idempotency-key-reused': status.ALREADY_EXISTS,
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  'payload-too-large': status.RESOURCE_EXHAUSTED,
  'rate-limited': status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  internal: status.INTERNAL,
} as const satisfies Record<ProblemKind, status>;

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
    return { code: grpcStatusOf[error.kind], details: error.message, metadata };
  }
  if (isTransientDatabaseError(error)) {
    // Nothing was committed (the transaction failed with its connection): the caller may retry.
    logger?.warn({ err: loggableError(error) }, 'database unavailable for a gRPC call');
    metadata.set(problemKindMetadataKey, 'unavailable');
    return { code: grpcStatusOf.unavailable, details: 'database unavailable, try again', metadata };
  }
  logger?.error({ err: loggableError(error) }, 'unexpected error in a gRPC handler');
  metadata.set(problemKindMetadataKey, 'internal');
  return { code: grpcStatusOf.internal, details: 'internal error', metadata };
}

const lostConnectionMessage =
  /timeout exceeded when trying to connect|Connection terminated|connection is closed|Client has encountered a connection error/i;

/**
 * A lost or unobtainable connection, a server shutting down, or a transaction Postgres aborted to
 * break a deadlock or a serialisation conflict: the database's state, not the request's fault.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // TypeORM releases a transaction's runner when its connection dies between two statements;
  // the next statement (or the COMMIT) then finds it released. Nothing was committed.
  if (error.name === 'QueryRunnerAlreadyReleasedError') return true;
  const code = (error as { code?: unknown }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || code.startsWith('57P') || code === '40001' || code === '40P01' || code === '53300')
  )
    return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  return lostConnectionMessage.test(error.message);
}

@Catch()
export class GrpcProblemFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger?: Logger) {}

  catch(exception: unknown): Observable<never> {
    return throwError(() => toGrpcError(exception, this.logger));
  }
}
