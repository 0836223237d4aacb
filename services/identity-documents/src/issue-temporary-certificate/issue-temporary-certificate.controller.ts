import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { commandResult, DocumentsCommands } from '../documents-commands.js';

@Controller()
export class IssueTemporaryCertificateController {
  constructor(@Inject(DocumentsCommands) private readonly commands: DocumentsCommands) {}

  @GrpcMethod('IdentityDocumentsService', 'IssueTemporaryCertificate')
  async issueTemporaryCertificate(request: identityDocuments.IssueTemporaryCertificateRequest): Promise<common.CommandResult> {
    const { personId, issuedAt, issuer, format, validAsIdentityDocument } = request;
    return commandResult(
      await this.commands.run(
        { type: 'IssueTemporaryCertificate', data: { personId, issuedAt, issuer, format, validAsIdentityDocument } },
        request,
      ),
    );
  }
}
