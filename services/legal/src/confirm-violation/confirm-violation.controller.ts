import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { CaseCommands, requireUuid } from '../case-commands.js';

@Controller()
export class ConfirmViolationController {
  constructor(@Inject(CaseCommands) private readonly commands: CaseCommands) {}

  @GrpcMethod('LegalService', 'ConfirmViolation')
  confirmViolation(request: legal.ConfirmViolationRequest): Promise<common.CommandResult> {
    const violationId = requireUuid(request.violationId, 'violationId', 'violation.id-invalid');
    return this.commands.run(
      ({ caseId, actor, at }) => ({
        type: 'ConfirmViolation',
        data: { caseId, violationId, confirmedBy: actor, confirmedAt: at, reasoning: request.reasoning },
      }),
      request,
    );
  }
}
