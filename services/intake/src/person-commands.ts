// Shared by intake's command slices: run a command against a person's or a batch's stream.
import type { common } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { AppendResult, CommandContext, EventStore } from '@homeward/eventsourcing';
import {
  personDecider,
  personStreamId,
  releaseBatchDecider,
  releaseBatchStreamId,
  type PersonCommand,
  type ReleaseBatchCommand,
} from '@homeward/intake-domain';
import { commandContext, requestBody } from '@homeward/service-kit';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As the gateway checks it: letters, digits, dot, underscore and hyphen, at most 64. */
export const batchIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export function requirePersonId(personId: string): string {
  if (!uuid.test(personId)) throw new DomainError('validation-failed', 'person.id-invalid', 'personId must be a UUID');
  return personId;
}

export function requireBatchId(batchId: string): string {
  if (!batchIdPattern.test(batchId)) throw new DomainError('validation-failed', 'release-batch.id-invalid', 'batchId must be 1 to 64 letters, digits, dots, underscores or hyphens');
  return batchId;
}

export const commandResultOf = (result: AppendResult): common.CommandResult => ({
  id: result.id,
  streamVersion: result.streamVersion,
  eventIds: result.eventIds,
  repeatedRequest: result.repeatedRequest,
});

/** Appends what the person decider decides; `request` is what the Idempotency-Key fingerprint covers. */
export function handlePersonCommand(store: EventStore, command: PersonCommand, context: CommandContext, request: object): Promise<AppendResult> {
  const personId = requirePersonId(command.data.personId);
  return store.handle(personDecider, command, { streamId: personStreamId(personId), subject: personId }, context, { command: command.type, ...request });
}

export async function runPersonCommand(
  store: EventStore,
  command: PersonCommand,
  request: { metadata?: common.CommandMetadata | undefined; personId: string },
): Promise<common.CommandResult> {
  return commandResultOf(await handlePersonCommand(store, command, commandContext(request.metadata), requestBody(request)));
}

export async function runReleaseBatchCommand(
  store: EventStore,
  command: ReleaseBatchCommand,
  request: { metadata?: common.CommandMetadata | undefined; batchId: string },
): Promise<common.CommandResult> {
  const batchId = requireBatchId(command.data.batchId);
  const result = await store.handle(releaseBatchDecider, command, { streamId: releaseBatchStreamId(batchId), subject: batchId }, commandContext(request.metadata), {
    command: command.type,
    ...requestBody(request),
  });
  return commandResultOf(result);
}
