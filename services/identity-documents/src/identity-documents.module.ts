import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@homeward/eventsourcing';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';

@Module({})
export class IdentityDocumentsModule {
  static with(runtime: ServiceRuntime): DynamicModule {
    return {
      module: IdentityDocumentsModule,
      controllers: [],
      providers: [
        { provide: EventStore, useValue: runtime.store },
        { provide: DataSource, useValue: runtime.dataSource },
      ],
    };
  }
}
