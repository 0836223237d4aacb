import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { commandResult, DocumentsCommands } from '../documents-commands.js';

@Controller()
export class RecordPassportDestructionController {
  constructor(@Inject(DocumentsCommands) private readonly commands: DocumentsCommands) {}

  @GrpcMethod('IdentityDocumentsService', 'RecordPassportDestruction')
  async recordPassportDestruction(request: identityDocuments.RecordPassportDestructionRequest): Promise<common.CommandResult> {
    const { personId, destroyedAt, authority, account } = request;
    return commandResult(
      await this.commands.run({ type: 'RecordPassportDestruction', data: { personId, destroyedAt, authority, account } }, request),
    );
  }
}
