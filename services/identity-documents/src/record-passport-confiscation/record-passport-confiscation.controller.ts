import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { commandResult, runDocumentsCommand } from '../documents-commands.js';

@Controller()
export class RecordPassportConfiscationController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IdentityDocumentsService', 'RecordPassportConfiscation')
  async recordPassportConfiscation(request: identityDocuments.RecordPassportConfiscationRequest): Promise<common.CommandResult> {
    const { personId, confiscatedAt, authority, place } = request;
    return commandResult(await runDocumentsCommand(this.store, { type: 'RecordPassportConfiscation', data: { personId, confiscatedAt, authority, place } }, request));
  }
}
