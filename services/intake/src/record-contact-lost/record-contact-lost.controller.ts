import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runPersonCommand } from '../person-commands.js';

@Controller()
export class RecordContactLostController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RecordContactLost')
  recordContactLost(request: intake.RecordContactLostRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...contactLost } = request;
    return runPersonCommand(this.store, { type: 'RecordContactLost', data: contactLost }, request);
  }
}
