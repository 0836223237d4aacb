import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { intake } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { findDocument } from '@homeward/eventsourcing';
import { PersonKeys } from '@homeward/personal-data';
import { DataSource } from 'typeorm';
import { personFile, personFileMessage, type PersonFileDocument } from '../person-file/person-file.projection.js';
import { requirePersonId } from '../person-commands.js';
import { openPersonFile } from '../personal-fields.js';

@Controller()
export class GetPersonController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('IntakeService', 'GetPerson')
  async getPerson(request: intake.GetPersonRequest): Promise<intake.PersonFile> {
    const file = await findDocument<PersonFileDocument>(this.dataSource.manager, personFile, requirePersonId(request.personId));
    if (!file) throw notFound('person.not-found', 'no person with this id');
    if (request.minVersion !== undefined && file.streamVersion < request.minVersion) {
      throw new DomainError('not-yet-consistent', 'person.not-yet-consistent', `the file is at version ${file.streamVersion}`);
    }
    return openPersonFile(personFileMessage(file), await this.keys.find(this.dataSource.manager, file.personId));
  }
}
