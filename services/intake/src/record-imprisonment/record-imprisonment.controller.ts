import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class RecordImprisonmentController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RecordImprisonment')
  recordImprisonment(request: intake.RecordImprisonmentRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...imprisonment } = request;
    return runPersonCommand(this.store, { type: 'RecordImprisonment', data: imprisonment }, request);
  }
}
