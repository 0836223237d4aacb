import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { DataSource } from 'typeorm';
import { requireUuid, runCaseCommand } from '../case-commands.js';

@Controller()
export class ChangeSubmissionStatusController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @GrpcMethod('LegalService', 'ChangeSubmissionStatus')
  changeSubmissionStatus(request: legal.ChangeSubmissionStatusRequest): Promise<common.CommandResult> {
    const submissionId = requireUuid(request.submissionId, 'submissionId', 'submission.id-invalid');
    return runCaseCommand(
      this.store,
      this.dataSource,
      ({ caseId, actor, at }) => ({
        type: 'ChangeSubmissionStatus',
        data: { caseId, submissionId, status: request.status, reference: request.reference, note: request.note, changedBy: actor, changedAt: at },
      }),
      request,
    );
  }
}
