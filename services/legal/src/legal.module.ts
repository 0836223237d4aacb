import { Module, type DynamicModule } from '@nestjs/common';
import { PersonKeys } from '@homeward/personal-data';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { AttachEvidenceController } from './attach-evidence/attach-evidence.controller.js';
import { CaseCommands } from './case-commands.js';
import { ChangeSubmissionStatusController } from './change-submission-status/change-submission-status.controller.js';
import { ConfirmViolationController } from './confirm-violation/confirm-violation.controller.js';
import { DismissViolationController } from './dismiss-violation/dismiss-violation.controller.js';
import { FileSubmissionController } from './file-submission/file-submission.controller.js';
import { FlagViolationController } from './flag-violation/flag-violation.controller.js';
import { GetCaseController } from './get-case/get-case.controller.js';
import { ListCasesController } from './list-cases/list-cases.controller.js';
import { ListPatternsController } from './list-patterns/list-patterns.controller.js';

@Module({})
export class LegalModule {
  static with(runtime: ServiceRuntime, keys: PersonKeys): DynamicModule {
    if (!runtime.store) throw new Error('legal needs its event store');
    return {
      module: LegalModule,
      controllers: [
        ListCasesController,
        GetCaseController,
        FlagViolationController,
        ConfirmViolationController,
        DismissViolationController,
        AttachEvidenceController,
        FileSubmissionController,
        ChangeSubmissionStatusController,
        ListPatternsController,
      ],
      providers: [
        { provide: PersonKeys, useValue: keys },
        { provide: CaseCommands, useValue: new CaseCommands(runtime.store, keys) },
        { provide: DataSource, useValue: runtime.dataSource },
      ],
    };
  }
}
