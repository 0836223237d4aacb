import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class RecordDeportationController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RecordDeportation')
  recordDeportation(request: intake.RecordDeportationRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...deportation } = request;
    return runPersonCommand(this.store, { type: 'RecordDeportation', data: deportation }, request);
  }
}
