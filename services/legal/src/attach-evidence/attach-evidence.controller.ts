import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { DataSource } from 'typeorm';
import { newEntityId, requireUuid, runCaseCommand } from '../case-commands.js';

/** Evidence is recorded by its digest; the file itself is kept outside Homeward. Answers id = evidenceId. */
@Controller()
export class AttachEvidenceController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @GrpcMethod('LegalService', 'AttachEvidence')
  attachEvidence(request: legal.AttachEvidenceRequest): Promise<common.CommandResult> {
    const evidenceId = newEntityId('evidence', request);
    const violationIds = (request.violationIds ?? []).map((id) => requireUuid(id, 'violationIds', 'violation.id-invalid'));
    return runCaseCommand(
      this.store,
      this.dataSource,
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
