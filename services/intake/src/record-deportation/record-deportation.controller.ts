import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

@Controller()
export class RecordDeportationController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RecordDeportation')
  recordDeportation(request: intake.RecordDeportationRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...deportation } = request;
    return this.people.run({ type: 'RecordDeportation', data: deportation }, request);
  }
}
