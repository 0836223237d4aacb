import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { DataSource } from 'typeorm';
import { newEntityId, runCaseCommand } from '../case-commands.js';

/** An advisor flags what no rule saw; like a rule's flag, it waits for a confirmation. */
@Controller()
export class FlagViolationController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @GrpcMethod('LegalService', 'FlagViolation')
  flagViolation(request: legal.FlagViolationRequest): Promise<common.CommandResult> {
    const violationId = newEntityId('violation', request);
    return runCaseCommand(
      this.store,
      this.dataSource,
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
