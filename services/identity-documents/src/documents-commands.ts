// Shared by the command slices: run a documents command against the person's documents stream.
import type { common } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { AppendResult, EventStore } from '@homeward/eventsourcing';
import { documentsDecider, documentsStreamId, type DocumentsCommand } from '@homeward/identity-documents-domain';
import { commandContext, requestBody } from '@homeward/service-kit';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The gateway checks the format too; this context does not ask intake whether the person exists. */
export function requirePersonId(personId: string): string {
  if (!uuid.test(personId)) throw new DomainError('validation-failed', 'person.id-invalid', 'personId must be a UUID');
  return personId;
}

export function requireApplicationId(applicationId: string): string {
  if (!uuid.test(applicationId)) throw new DomainError('validation-failed', 'travel-document.application-id-invalid', 'applicationId must be a UUID');
  return applicationId;
}

/**
 * Decides and appends one command. `request` is what the caller sent (metadata aside): the
 * Idempotency-Key fingerprint covers it, never an id generated for this attempt.
 */
export function runDocumentsCommand(
  store: EventStore,
  command: DocumentsCommand,
  request: { metadata?: common.CommandMetadata | undefined; personId: string },
): Promise<AppendResult> {
  const personId = requirePersonId(command.data.personId);
  return store.handle(documentsDecider, command, { streamId: documentsStreamId(personId), subject: personId }, commandContext(request.metadata), {
    command: command.type,
    ...requestBody(request),
  });
}

export const commandResult = (result: AppendResult): common.CommandResult => ({
  id: result.id,
  streamVersion: result.streamVersion,
  eventIds: result.eventIds,
  repeatedRequest: result.repeatedRequest,
});
