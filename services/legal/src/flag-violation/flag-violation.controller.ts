import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { CaseCommands, newEntityId } from '../case-commands.js';

/** An advisor flags what no rule saw; like a rule's flag, it waits for a confirmation. */
@Controller()
export class FlagViolationController {
  constructor(@Inject(CaseCommands) private readonly commands: CaseCommands) {}

  @GrpcMethod('LegalService', 'FlagViolation')
  flagViolation(request: legal.FlagViolationRequest): Promise<common.CommandResult> {
    const violationId = newEntityId('violation', request);
    return this.commands.run(
      ({ caseId, actor, at }) => ({
        type: 'FlagViolation',
        data: {
          caseId,
          violationId,
          instrument: request.instrument.trim(),
          provision: request.provision.trim(),
          restsOn: request.restsOn ?? [],
          flaggedBy: actor,
          flaggedAt: at,
          summary: request.summary,
        },
      }),
      request,
      violationId,
    );
  }
}
