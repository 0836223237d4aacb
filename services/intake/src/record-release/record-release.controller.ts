import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { requireBatchId, runPersonCommand } from '../person-commands.js';

@Controller()
export class RecordReleaseController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RecordRelease')
  recordRelease(request: intake.RecordReleaseRequest): Promise<common.CommandResult> {
    if (request.batchId) requireBatchId(request.batchId);
    const { metadata: _metadata, ...release } = request;
    return runPersonCommand(this.store, { type: 'RecordRelease', data: release }, request);
  }
}
