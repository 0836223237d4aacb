import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { commandResult, runDocumentsCommand } from '../documents-commands.js';

@Controller()
export class IssueTemporaryCertificateController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IdentityDocumentsService', 'IssueTemporaryCertificate')
  async issueTemporaryCertificate(request: identityDocuments.IssueTemporaryCertificateRequest): Promise<common.CommandResult> {
    const { personId, issuedAt, issuer, format, validAsIdentityDocument } = request;
    return commandResult(
      await runDocumentsCommand(this.store, { type: 'IssueTemporaryCertificate', data: { personId, issuedAt, issuer, format, validAsIdentityDocument } }, request),
    );
  }
}
