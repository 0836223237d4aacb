import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { runReleaseBatchCommand } from '../person-commands.js';

@Controller()
export class AnnounceReleaseBatchController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'AnnounceReleaseBatch')
  announceReleaseBatch(request: intake.AnnounceReleaseBatchRequest): Promise<common.CommandResult> {
    const { metadata: _metadata, ...announcement } = request;
    return runReleaseBatchCommand(this.store, { type: 'AnnounceReleaseBatch', data: announcement }, request);
  }
}
