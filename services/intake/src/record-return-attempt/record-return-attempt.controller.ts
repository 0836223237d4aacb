import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class RecordReturnAttemptController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RecordReturnAttempt')
  recordReturnAttempt(request: intake.RecordReturnAttemptRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...attempt } = request;
    return runPersonCommand(this.store, { type: 'RecordReturnAttempt', data: attempt }, request);
  }
}
