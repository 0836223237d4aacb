// Shared by intake's command slices: run a person command against the person's stream.
import { common } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { EventStore } from '@homeward/eventsourcing';
import { personDecider, personStreamId, type PersonCommand } from '@homeward/intake-domain';
import { commandContext, requestBody } from '@homeward/service-kit';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requirePersonId(personId: string): string {
  if (!uuid.test(personId)) throw new DomainError('validation-failed', 'person.id-invalid', 'personId must be a UUID');
  return personId;
}

export async function runPersonCommand(
  store: EventStore,
  command: PersonCommand,
  request: { metadata?: common.CommandMetadata | undefined; personId: string },
): Promise<common.CommandResult> {
  const personId = requirePersonId(command.data.personId);
  const result = await store.handle(personDecider, command, { streamId: personStreamId(personId), subject: personId }, commandContext(request.metadata), {
    command: command.type,
    ...requestBody(request),
  });
  return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds, repeatedRequest: result.repeatedRequest };
}
