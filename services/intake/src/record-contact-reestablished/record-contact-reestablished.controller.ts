import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class RecordContactReestablishedController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RecordContactReestablished')
  recordContactReestablished(request: intake.RecordContactReestablishedRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...contact } = request;
    return this.people.run({ type: 'RecordContactReestablished', data: contact }, request);
  }
}
