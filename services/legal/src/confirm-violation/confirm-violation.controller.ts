import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, legal } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { DataSource } from 'typeorm';
import { requireUuid, runCaseCommand } from '../case-commands.js';

@Controller()
export class ConfirmViolationController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @GrpcMethod('LegalService', 'ConfirmViolation')
  confirmViolation(request: legal.ConfirmViolationRequest): Promise<common.CommandResult> {
    const violationId = requireUuid(request.violationId, 'violationId', 'violation.id-invalid');
    return runCaseCommand(
      this.store,
      this.dataSource,
      ({ caseId, actor, at }) => ({ type: 'ConfirmViolation', data: { caseId, violationId, confirmedBy: actor, confirmedAt: at, reasoning: request.reasoning } }),
      request,
    );
  }
}
