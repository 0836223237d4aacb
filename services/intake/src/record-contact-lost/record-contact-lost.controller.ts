import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class RecordContactLostController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RecordContactLost')
  recordContactLost(request: intake.RecordContactLostRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...contactLost } = request;
    return this.people.run({ type: 'RecordContactLost', data: contactLost }, request);
  }
}
