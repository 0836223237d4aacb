import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { AccessLogController } from './access-log/access-log.controller.js';
import { ExportEventsController } from './export-events/export-events.controller.js';
import { SearchEventsController } from './search-events/search-events.controller.js';
import { VerifyChainsController } from './verify-chains/verify-chains.controller.js';

@Module({})
export class AuditModule {
  static with(runtime: ServiceRuntime): DynamicModule {
    return {
      module: AuditModule,
      controllers: [SearchEventsController, ExportEventsController, VerifyChainsController, AccessLogController],
      providers: [{ provide: DataSource, useValue: runtime.dataSource }],
    };
  }
}
