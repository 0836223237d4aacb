import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { CaseCommands, newEntityId, requireUuid } from '../case-commands.js';

/** Evidence is recorded by its digest; the file itself is kept outside Homeward. Answers id = evidenceId. */
@Controller()
export class AttachEvidenceController {
  constructor(@Inject(CaseCommands) private readonly commands: CaseCommands) {}

  @GrpcMethod('LegalService', 'AttachEvidence')
  attachEvidence(request: legal.AttachEvidenceRequest): Promise<common.CommandResult> {
    const evidenceId = newEntityId('evidence', request);
    const violationIds = (request.violationIds ?? []).map((id) => requireUuid(id, 'violationIds', 'violation.id-invalid'));
    return this.commands.run(
      ({ caseId, actor, at }) => ({
        type: 'AttachEvidence',
        data: {
          caseId,
          evidenceId,
          kind: request.kind,
          source: request.source,
          sha256: request.sha256.toLowerCase(),
          description: request.description,
          violationIds,
          attachedBy: actor,
          attachedAt: at,
        },
      }),
      request,
      evidenceId,
    );
  }
}
