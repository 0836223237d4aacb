import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class RecordImprisonmentController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RecordImprisonment')
  recordImprisonment(request: intake.RecordImprisonmentRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...imprisonment } = request;
    return this.people.run({ type: 'RecordImprisonment', data: imprisonment }, request);
  }
}
