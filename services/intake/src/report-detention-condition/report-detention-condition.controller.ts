import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class ReportDetentionConditionController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'ReportDetentionCondition')
  reportDetentionCondition(request: intake.ReportDetentionConditionRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...condition } = request;
    return this.people.run({ type: 'ReportDetentionCondition', data: condition }, request);
  }
}
