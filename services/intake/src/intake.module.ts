import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@homeward/eventsourcing';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { GetPersonController } from './get-person/get-person.controller.js';
import { RecordDeportationController } from './record-deportation/record-deportation.controller.js';
import { RecordReleaseController } from './record-release/record-release.controller.js';
import { RegisterPersonController } from './register-person/register-person.controller.js';

@Module({})
export class IntakeModule {
  static with(runtime: ServiceRuntime): DynamicModule {
    return {
      module: IntakeModule,
      controllers: [RegisterPersonController, RecordReleaseController, RecordDeportationController, GetPersonController],
      providers: [
        { provide: EventStore, useValue: runtime.store },
        { provide: DataSource, useValue: runtime.dataSource },
      ],
    };
  }
}
