import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@homeward/eventsourcing';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';

@Module({})
export class NotificationsModule {
  static with(runtime: ServiceRuntime): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [],
      providers: [
        { provide: EventStore, useValue: runtime.store },
        { provide: DataSource, useValue: runtime.dataSource },
      ],
    };
  }
}
