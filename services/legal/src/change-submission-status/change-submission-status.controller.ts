import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { CaseCommands, requireUuid } from '../case-commands.js';

@Controller()
export class ChangeSubmissionStatusController {
  constructor(@Inject(CaseCommands) private readonly commands: CaseCommands) {}

  @GrpcMethod('LegalService', 'ChangeSubmissionStatus')
  changeSubmissionStatus(request: legal.ChangeSubmissionStatusRequest): Promise<common.CommandResult> {
    const submissionId = requireUuid(request.submissionId, 'submissionId', 'submission.id-invalid');
    return this.commands.run(
      ({ caseId, actor, at }) => ({
        type: 'ChangeSubmissionStatus',
        data: {
          caseId,
          submissionId,
          status: request.status,
          reference: request.reference,
          note: request.note,
          changedBy: actor,
          changedAt: at,
        },
      }),
      request,
    );
  }
}
