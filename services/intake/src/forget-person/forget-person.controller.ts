import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { common, intake } from '@homeward/contracts';
import { PersonCommands } from '../person-commands.js';

/** Erasure (crypto-shredding): the person's key is destroyed; the events stay, unreadable. */
@Controller()
export class ForgetPersonController {
  constructor(@Inject(PersonCommands) private readonly people: PersonCommands) {}

  @GrpcMethod('IntakeService', 'ForgetPerson')
  forgetPerson(request: intake.ForgetPersonRequest): Promise<common.CommandResult> {
    return this.people.forget(request);
  }
}
