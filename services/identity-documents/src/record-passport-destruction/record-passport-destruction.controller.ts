import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { commandResult, runDocumentsCommand } from '../documents-commands.js';

@Controller()
export class RecordPassportDestructionController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IdentityDocumentsService', 'RecordPassportDestruction')
  async recordPassportDestruction(request: identityDocuments.RecordPassportDestructionRequest): Promise<common.CommandResult> {
    const { personId, destroyedAt, authority, account } = request;
    return commandResult(await runDocumentsCommand(this.store, { type: 'RecordPassportDestruction', data: { personId, destroyedAt, authority, account } }, request));
  }
}
