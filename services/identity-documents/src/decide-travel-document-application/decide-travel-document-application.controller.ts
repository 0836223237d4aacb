import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, identityDocuments } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { TravelDocumentDecision } from '@homeward/identity-documents-domain';
import { commandResult, DocumentsCommands, requireApplicationId } from '../documents-commands.js';

function decisionOf(request: identityDocuments.DecideTravelDocumentApplicationRequest): TravelDocumentDecision {
  switch (request.decision) {
    case 'issued':
      return { decision: 'issued', issuedAt: request.decidedAt, validUntil: request.validUntil };
    case 'refused':
      return { decision: 'refused', refusedAt: request.decidedAt, reason: request.reason };
    default:
      throw new DomainError('validation-failed', 'travel-document.decision-invalid', 'decision must be issued or refused');
  }
}

@Controller()
export class DecideTravelDocumentApplicationController {
  constructor(@Inject(DocumentsCommands) private readonly commands: DocumentsCommands) {}

  @GrpcMethod('IdentityDocumentsService', 'DecideTravelDocumentApplication')
  async decideTravelDocumentApplication(request: identityDocuments.DecideTravelDocumentApplicationRequest): Promise<common.CommandResult> {
    const applicationId = requireApplicationId(request.applicationId);
    const command = {
      type: 'DecideTravelDocumentApplication',
      data: { personId: request.personId, applicationId, ...decisionOf(request) },
    } as const;
    return commandResult(await this.commands.run(command, request));
  }
}
