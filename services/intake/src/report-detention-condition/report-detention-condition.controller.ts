import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class ReportDetentionConditionController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'ReportDetentionCondition')
  reportDetentionCondition(request: intake.ReportDetentionConditionRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...condition } = request;
    return runPersonCommand(this.store, { type: 'ReportDetentionCondition', data: condition }, request);
  }
}
