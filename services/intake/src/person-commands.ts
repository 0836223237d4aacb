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
import type { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { batchIdRule, isBatchId, isUuid } from '@homeward/vocabulary';

export function requirePersonId(personId: string): string {
  if (!isUuid(personId)) throw new DomainError('validation-failed', 'person.id-invalid', 'personId must be a UUID');
  return personId;
}

export function requireBatchId(batchId: string): string {
  if (!isBatchId(batchId)) throw new DomainError('validation-failed', 'release-batch.id-invalid', `batchId must be ${batchIdRule}`);
  return batchId;
}

export const commandResultOf = (result: AppendResult): common.CommandResult => ({
  id: result.id,
  streamVersion: result.streamVersion,
  eventIds: result.eventIds,
  repeatedRequest: result.repeatedRequest,
});

/**
 * Runs intake's person commands. The store's sealer encrypts personal and identifying fields
 * with the person's key before anything is written, so the events, the outbox, Kafka, the audit
 * copy and the read models hold ciphertext only; the key is made, used and (on erasure)
 * destroyed in the append's transaction.
 */
export class PersonCommands {
  constructor(
    readonly store: EventStore,
    readonly keys: PersonKeys,
  ) {}

  /** `request` is what the Idempotency-Key fingerprint covers: the plaintext the caller sent. */
  handle(command: PersonCommand, context: CommandContext, request: object): Promise<AppendResult> {
    const personId = requirePersonId(command.data.personId);
    return this.store.handle(personDecider, command, targetOf(personId), context, {
      request: { command: command.type, ...request },
      alongside: async (tx, result) => {
        // A repeated registration answers with the person first registered: the id drawn for this
        // attempt needs no key.
        if (result.repeatedRequest && result.id !== personId) await this.keys.discardUnused(tx, personId);
      },
    });
  }

  /** `newPerson`: the id was drawn for this request, so the person's stream cannot exist yet and is not read. */
  async run(
    command: PersonCommand,
    request: { metadata?: common.CommandMetadata | undefined; personId: string },
    { newPerson = false } = {},
  ): Promise<common.CommandResult> {
    const context = commandContext(request.metadata);
    return commandResultOf(await this.handle(command, newPerson ? { expectedVersion: 0, ...context } : context, requestBody(request)));
  }

  /** Erasure: PersonForgotten, the read models' personal fields and the key go in one transaction. */
  async forget(request: { metadata?: common.CommandMetadata | undefined; personId: string }): Promise<common.CommandResult> {
    const personId = requirePersonId(request.personId);
    const context = commandContext(request.metadata);
    const command: PersonCommand = { type: 'ForgetPerson', data: { personId, forgottenAt: context.occurredAt } };
    const result = await this.store.handle(personDecider, command, targetOf(personId), context, {
      request: { command: command.type, ...requestBody(request) },
      alongside: async (tx, appended) => {
        if (appended.repeatedRequest) return;
        await this.keys.destroy(tx, personId);
        // The fingerprints of the person's earlier requests are hashes of their plaintext, so a
        // guessed name could be confirmed against them: scrub them (a retry then answers 422).
        await this.store.forgetRequests(tx, personId, context.idempotencyKey);
      },
    });
    return commandResultOf(result);
  }
}

const targetOf = (personId: string) => ({ streamId: personStreamId(personId), subject: personId });

export async function runReleaseBatchCommand(
  store: EventStore,
  command: ReleaseBatchCommand,
  request: { metadata?: common.CommandMetadata | undefined; batchId: string },
): Promise<common.CommandResult> {
  const batchId = requireBatchId(command.data.batchId);
  const result = await store.handle(
    releaseBatchDecider,
    command,
    { streamId: releaseBatchStreamId(batchId), subject: batchId },
    commandContext(request.metadata),
    { request: { command: command.type, ...requestBody(request) } },
  );
  return commandResultOf(result);
}
