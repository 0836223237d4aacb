import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class ReportRearrestController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'ReportRearrest')
  reportRearrest(request: intake.ReportRearrestRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...rearrest } = request;
    return runPersonCommand(this.store, { type: 'ReportRearrest', data: rearrest }, request);
  }
}
