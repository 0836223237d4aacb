import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { CaseCommands, requireUuid } from '../case-commands.js';

@Controller()
export class DismissViolationController {
  constructor(@Inject(CaseCommands) private readonly commands: CaseCommands) {}

  @GrpcMethod('LegalService', 'DismissViolation')
  dismissViolation(request: legal.DismissViolationRequest): Promise<common.CommandResult> {
    const violationId = requireUuid(request.violationId, 'violationId', 'violation.id-invalid');
    return this.commands.run(
      ({ caseId, actor, at }) => ({
        type: 'DismissViolation',
        data: { caseId, violationId, dismissedBy: actor, dismissedAt: at, reasoning: request.reasoning },
      }),
      request,
    );
  }
}
