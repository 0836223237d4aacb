// Shared by legal's command slices: run a command against a person's case, as the advisor the
// token names, and answer the CommandResult every command answers.
import type { common } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { EventStore, StreamTarget } from '@homeward/eventsourcing';
import { entityIdFromKey, legalCaseDecider, legalCaseStreamId, type LegalCaseCommand } from '@homeward/legal-domain';
import type { PersonKeys } from '@homeward/personal-data';
import { commandContext, requestBody } from '@homeward/service-kit';
import { uuidv7 } from '@homeward/observability';
import { isUuid } from '@homeward/vocabulary';
import type { EntityManager } from 'typeorm';

export function requireUuid(value: string, field: string, code: string): string {
  if (!isUuid(value)) throw new DomainError('validation-failed', code, `${field} must be a UUID`);
  return value.toLowerCase();
}

/** People act on cases as advisors; the rules flag as rule:<name>. */
export const advisor = (actor: string) => `advisor:${actor}`;

type CaseRequest = { metadata?: common.CommandMetadata | undefined; caseId: string };

/**
 * The id of what a command adds to a case: derived from the Idempotency-Key when there is one, so
 * that a retry names the same thing, else a fresh UUID v7.
 */
export function newEntityId(kind: string, request: CaseRequest): string {
  const key = request.metadata?.idempotencyKey;
  return key ? entityIdFromKey(kind, request.caseId, key) : uuidv7();
}

/**
 * Runs the advisors' case commands. The store's sealer encrypts the personal and identifying
 * fields with the person's key; a person erased in intake (PersonForgotten, see forget-person/)
 * is refused here, whether the command carries a personal value or not.
 */
export class CaseCommands {
  constructor(
    readonly store: EventStore,
    readonly keys: PersonKeys,
  ) {}

  async run(
    build: (context: { caseId: string; actor: string; at: string }) => LegalCaseCommand,
    request: CaseRequest,
    answerId?: string,
  ): Promise<common.CommandResult> {
    const caseId = requireUuid(request.caseId, 'caseId', 'case.id-invalid');
    const context = commandContext(request.metadata);
    const command = build({ caseId, actor: advisor(context.actor), at: context.occurredAt });
    const result = await this.store.handle(legalCaseDecider, command, (tx) => this.targetOf(tx, caseId), context, {
      request: { command: command.type, ...requestBody(request) },
      check: (tx, target) => this.keys.requireKnown(tx, target.subject),
    });
    return {
      id: answerId ?? caseId,
      streamVersion: result.streamVersion,
      eventIds: result.eventIds,
      repeatedRequest: result.repeatedRequest,
    };
  }

  /** A case's stream is about its person (the rules opened it for them): the subject commands are appended about. */
  private async targetOf(tx: EntityManager, caseId: string): Promise<StreamTarget> {
    const streamId = legalCaseStreamId(caseId);
    const personId = await this.store.subjectOf(tx, streamId);
    if (!personId) throw new DomainError('not-found', 'case.not-found', 'there is no legal case with this id');
    return { streamId, subject: personId };
  }
}
