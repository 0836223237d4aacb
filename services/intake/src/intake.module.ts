import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@homeward/eventsourcing';
import { PersonKeys } from '@homeward/personal-data';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { AnnounceReleaseBatchController } from './announce-release-batch/announce-release-batch.controller.js';
import { ForgetPersonController } from './forget-person/forget-person.controller.js';
import { GetPersonController } from './get-person/get-person.controller.js';
import { GetReleaseBatchController } from './get-release-batch/get-release-batch.controller.js';
import { ImportReleaseBatchController } from './import-release-batch/import-release-batch.controller.js';
import { ListPeopleController } from './list-people/list-people.controller.js';
import { PersonCommands } from './person-commands.js';
import { RecordContactLostController } from './record-contact-lost/record-contact-lost.controller.js';
import { RecordContactReestablishedController } from './record-contact-reestablished/record-contact-reestablished.controller.js';
import { RecordDeportationController } from './record-deportation/record-deportation.controller.js';
import { RecordImprisonmentController } from './record-imprisonment/record-imprisonment.controller.js';
import { RecordReleaseController } from './record-release/record-release.controller.js';
import { RecordReturnAttemptController } from './record-return-attempt/record-return-attempt.controller.js';
import { RegisterPersonController } from './register-person/register-person.controller.js';
import { ReportDetentionConditionController } from './report-detention-condition/report-detention-condition.controller.js';
import { ReportRearrestController } from './report-rearrest/report-rearrest.controller.js';
import { LOGGER } from './tokens.js';

@Module({})
export class IntakeModule {
  static with(runtime: ServiceRuntime, keys: PersonKeys): DynamicModule {
    if (!runtime.store) throw new Error('intake needs its event store');
    return {
      module: IntakeModule,
      controllers: [
        RegisterPersonController,
        RecordImprisonmentController,
        ReportDetentionConditionController,
        RecordReleaseController,
        RecordDeportationController,
        RecordReturnAttemptController,
        RecordContactLostController,
        RecordContactReestablishedController,
        ReportRearrestController,
        ForgetPersonController,
        AnnounceReleaseBatchController,
        ImportReleaseBatchController,
        GetPersonController,
        ListPeopleController,
        GetReleaseBatchController,
      ],
      providers: [
        { provide: EventStore, useValue: runtime.store },
        { provide: PersonKeys, useValue: keys },
        { provide: PersonCommands, useValue: new PersonCommands(runtime.store, keys) },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: LOGGER, useValue: runtime.logger },
      ],
    };
  }
}
