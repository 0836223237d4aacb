import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { commandResult, DocumentsCommands } from '../documents-commands.js';

@Controller()
export class RecordPassportConfiscationController {
  constructor(@Inject(DocumentsCommands) private readonly commands: DocumentsCommands) {}

  @GrpcMethod('IdentityDocumentsService', 'RecordPassportConfiscation')
  async recordPassportConfiscation(request: identityDocuments.RecordPassportConfiscationRequest): Promise<common.CommandResult> {
    const { personId, confiscatedAt, authority, place } = request;
    return commandResult(
      await this.commands.run({ type: 'RecordPassportConfiscation', data: { personId, confiscatedAt, authority, place } }, request),
    );
  }
}
