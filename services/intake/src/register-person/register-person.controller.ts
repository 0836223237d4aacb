import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { EventStore } from '@homeward/eventsourcing';
import { v7 as uuidv7 } from 'uuid';
import { requireBatchId, runPersonCommand } from '../person-commands.js';

@Controller()
export class RegisterPersonController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @GrpcMethod('IntakeService', 'RegisterPerson')
  registerPerson(request: intake.RegisterPersonRequest): Promise<common.CommandResult> {
    if (request.batchId) requireBatchId(request.batchId);
    // The id is assigned here, not by the caller, so a retried request (same Idempotency-Key,
    // same body) is recognised; a repeated request answers with the id first assigned.
    const personId = request.personId || uuidv7();
    const { metadata: _metadata, ...person } = request;
    return runPersonCommand(this.store, { type: 'RegisterPerson', data: { ...person, personId } }, { ...request, personId: '' });
  }
}
