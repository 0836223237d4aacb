// Shared by the command slices: run a documents command against the person's documents stream.
import type { common } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { AppendResult, EventStore } from '@homeward/eventsourcing';
import { documentsDecider, documentsStreamId, type DocumentsCommand } from '@homeward/identity-documents-domain';
import type { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { isUuid } from '@homeward/vocabulary';

/** The gateway checks the format too; this context does not ask intake whether the person exists. */
export function requirePersonId(personId: string): string {
  if (!isUuid(personId)) throw new DomainError('validation-failed', 'person.id-invalid', 'personId must be a UUID');
  return personId;
}

export function requireApplicationId(applicationId: string): string {
  if (!isUuid(applicationId))
    throw new DomainError('validation-failed', 'travel-document.application-id-invalid', 'applicationId must be a UUID');
  return applicationId;
}

/**
 * Runs the documents commands. The store's sealer encrypts the personal and identifying fields
 * with the person's key before anything is written; a person erased in intake (PersonForgotten,
 * see forget-person/) is refused here, whether the command carries a personal value or not.
 */
export class DocumentsCommands {
  constructor(
    readonly store: EventStore,
    readonly keys: PersonKeys,
  ) {}

  /**
   * Decides and appends one command. `request` is what the caller sent (metadata aside): the
   * Idempotency-Key fingerprint covers it, never an id generated for this attempt.
   */
  run(command: DocumentsCommand, request: { metadata?: common.CommandMetadata | undefined; personId: string }): Promise<AppendResult> {
    const personId = requirePersonId(command.data.personId);
    const context = commandContext(request.metadata);
    return this.store.handle(documentsDecider, command, { streamId: documentsStreamId(personId), subject: personId }, context, {
      request: { command: command.type, ...requestBody(request) },
      check: (tx) => this.keys.requireKnown(tx, personId),
    });
  }
}

export const commandResult = (result: AppendResult): common.CommandResult => ({
  id: result.id,
  streamVersion: result.streamVersion,
  eventIds: result.eventIds,
  repeatedRequest: result.repeatedRequest,
});
