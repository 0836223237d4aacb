import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class ReportRearrestController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'ReportRearrest')
  reportRearrest(request: intake.ReportRearrestRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...rearrest } = request;
    return this.people.run({ type: 'ReportRearrest', data: rearrest }, request);
  }
}
