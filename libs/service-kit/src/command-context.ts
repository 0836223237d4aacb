import type { common } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { CommandContext } from '@homeward/eventsourcing';

/**
 * Turns the CommandMetadata every command carries into the event store's context. The actor is the
 * subject of the user's token, verified by the gRPC interceptor before any handler runs (see
 * @homeward/security, grpc-caller.ts), which writes it over whatever the caller put there.
 */
export function commandContext(metadata: common.CommandMetadata | undefined, now = new Date()): CommandContext {
  if (!metadata?.actor || !metadata.correlationId) {
    throw new DomainError('validation-failed', 'command.metadata-missing', 'commands need an actor and a correlation id');
  }
  return {
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId || metadata.correlationId,
    occurredAt: now.toISOString(),
    ...(metadata.expectedVersion !== undefined ? { expectedVersion: metadata.expectedVersion } : {}),
    ...(metadata.idempotencyKey ? { idempotencyKey: metadata.idempotencyKey } : {}),
    ...(metadata.traceparent ? { traceparent: metadata.traceparent } : {}),
  };
}

/** Drops the metadata from a request, leaving what the Idempotency-Key fingerprint covers. */
export function requestBody<T extends { metadata?: unknown }>(request: T): Omit<T, 'metadata'> {
  const { metadata: _metadata, ...body } = request;
  return body;
}
