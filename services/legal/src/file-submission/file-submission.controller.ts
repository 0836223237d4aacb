import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { CaseCommands, newEntityId, requireUuid } from '../case-commands.js';

/** Records a submission to a forum, drafted or already sent. Answers id = submissionId. */
@Controller()
export class FileSubmissionController {
  constructor(@Inject(CaseCommands) private readonly commands: CaseCommands) {}

  @GrpcMethod('LegalService', 'FileSubmission')
  fileSubmission(request: legal.FileSubmissionRequest): Promise<common.CommandResult> {
    const submissionId = newEntityId('submission', request);
    const violationIds = (request.violationIds ?? []).map((id) => requireUuid(id, 'violationIds', 'violation.id-invalid'));
    return this.commands.run(
      ({ caseId, actor, at }) => ({
        type: 'FileSubmission',
        data: {
          caseId,
          submissionId,
          forum: request.forum,
          violationIds,
          status: request.status || 'drafted',
          reference: request.reference,
          filedBy: actor,
          filedAt: at,
        },
      }),
      request,
      submissionId,
    );
  }
}
