import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class RecordReturnAttemptController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RecordReturnAttempt')
  recordReturnAttempt(request: intake.RecordReturnAttemptRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...attempt } = request;
    return this.people.run({ type: 'RecordReturnAttempt', data: attempt }, request);
  }
}
