import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class RecordContactReestablishedController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RecordContactReestablished')
  recordContactReestablished(request: intake.RecordContactReestablishedRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...contact } = request;
    return runPersonCommand(this.store, { type: 'RecordContactReestablished', data: contact }, request);
  }
}
