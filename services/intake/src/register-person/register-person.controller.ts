import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { uuidv7 } from '@homeward/observability';
import { PersonCommands, requireBatchId } from '../person-commands.js';

@Controller()
export class RegisterPersonController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'RegisterPerson')
  registerPerson(request: intake.RegisterPersonRequest): Promise<common.CommandResult> {
    if (request.batchId) requireBatchId(request.batchId);
    // The id is assigned here, not by the caller, so a retried request (same Idempotency-Key,
    // same body) is recognised; a repeated request answers with the id first assigned.
    const personId = request.personId || uuidv7();
    const { metadata: _metadata, ...person } = request;
    return this.people.run(
      { type: 'RegisterPerson', data: { ...person, personId } },
      { ...request, personId: '' },
      { newPerson: !request.personId },
    );
  }
}
