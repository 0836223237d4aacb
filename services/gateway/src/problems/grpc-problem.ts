import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { errorCodeMetadataKey, problemKindMetadataKey, type ProblemKind } from '@homeward/decider';
import { isProblemKind, problemDocuments } from './problem.js';

/** What grpc-js rejects a call with. */
export interface GrpcError {
  code: number;
  details: string;
  metadata: Metadata;
}

export const isGrpcError = (error: unknown): error is GrpcError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as GrpcError).code === 'number' &&
  typeof (error as GrpcError).metadata?.get === 'function';

const first = (metadata: Metadata, key: string): string | undefined => {
  const [value] = metadata.get(key);
  return value === undefined ? undefined : String(value);
};

export interface MappedGrpcError {
  kind: ProblemKind;
  detail: string;
  code?: string;
}

/**
 * A service's refusal, by its problem kind (problemDocuments): the service sets the status and
 * the `homeward-problem-kind` / `homeward-error-code` trailers. Without a kind, only "no answer"
 * (UNAVAILABLE, DEADLINE_EXCEEDED) is the network's doing; anything else is a fault (500), and no
 * 5xx ever repeats what the service said.
 */
export function fromGrpcError(error: GrpcError): MappedGrpcError {
  const kind = first(error.metadata, problemKindMetadataKey);
  const code = first(error.metadata, errorCodeMetadataKey);
  if (isProblemKind(kind)) {
    const { status, title } = problemDocuments[kind];
    return { kind, detail: status >= 500 ? title : error.details || title, ...(code ? { code } : {}) };
  }
  if (error.code === GrpcStatus.UNAVAILABLE || error.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return { kind: 'unavailable', detail: 'A service did not answer in time; try again' };
  }
  return { kind: 'internal', detail: problemDocuments.internal.title };
}

export const grpcStatusName = (code: number): string => GrpcStatus[code] ?? `CODE_${code}`;
