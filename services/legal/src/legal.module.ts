import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { ListCasesController } from './list-cases/list-cases.controller.js';

@Module({})
export class LegalModule {
  static with(runtime: ServiceRuntime): DynamicModule {
    return {
      module: LegalModule,
      controllers: [ListCasesController],
      providers: [{ provide: DataSource, useValue: runtime.dataSource }],
    };
  }
}
