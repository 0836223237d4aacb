import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands, requireBatchId } from '../person-commands.js';

@Controller()
export class RecordReleaseController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RecordRelease')
  recordRelease(request: intake.RecordReleaseRequest): Promise<common.CommandResult> {
    if (request.batchId) requireBatchId(request.batchId);
    const { metadata: _metadata, ...release } = request;
    return this.people.run({ type: 'RecordRelease', data: release }, request);
  }
}
