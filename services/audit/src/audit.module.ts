import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { AccessLogController } from './access-log/access-log.controller.js';
import { CopiedStreamsController } from './copied-streams/copied-streams.controller.js';
import { ExportEventsController } from './export-events/export-events.controller.js';
import { SearchEventsController } from './search-events/search-events.controller.js';
import { CheckpointsController } from './transparency-log/checkpoints.controller.js';
import { LeavesController } from './transparency-log/leaves.controller.js';
import { LOG_KEYS, type LogKeys } from './transparency-log/log-signer.js';
import { ProofsController } from './transparency-log/proofs.controller.js';
import { VerifyChainsController } from './verify-chains/verify-chains.controller.js';

@Module({})
export class AuditModule {
  static with(runtime: ServiceRuntime, keys: LogKeys): DynamicModule {
    return {
      module: AuditModule,
      controllers: [
        SearchEventsController,
        ExportEventsController,
        VerifyChainsController,
        AccessLogController,
        CopiedStreamsController,
        CheckpointsController,
        ProofsController,
        LeavesController,
      ],
      providers: [
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: LOG_KEYS, useValue: keys },
      ],
    };
  }
}
