import { Module, type DynamicModule } from '@nestjs/common';
import { PersonKeys } from '@homeward/personal-data';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { ApplyForTravelDocumentController } from './apply-for-travel-document/apply-for-travel-document.controller.js';
import { DecideTravelDocumentApplicationController } from './decide-travel-document-application/decide-travel-document-application.controller.js';
import { DocumentsCommands } from './documents-commands.js';
import { GetDocumentsController } from './get-documents/get-documents.controller.js';
import { IssueTemporaryCertificateController } from './issue-temporary-certificate/issue-temporary-certificate.controller.js';
import { ListUndocumentedController } from './list-undocumented/list-undocumented.controller.js';
import { RecordPassportConfiscationController } from './record-passport-confiscation/record-passport-confiscation.controller.js';
import { RecordPassportDestructionController } from './record-passport-destruction/record-passport-destruction.controller.js';

@Module({})
export class IdentityDocumentsModule {
  static with(runtime: ServiceRuntime, keys: PersonKeys): DynamicModule {
    if (!runtime.store) throw new Error('identity-documents needs its event store');
    return {
      module: IdentityDocumentsModule,
      controllers: [
        RecordPassportConfiscationController,
        RecordPassportDestructionController,
        IssueTemporaryCertificateController,
        ApplyForTravelDocumentController,
        DecideTravelDocumentApplicationController,
        GetDocumentsController,
        ListUndocumentedController,
      ],
      providers: [
        { provide: DocumentsCommands, useValue: new DocumentsCommands(runtime.store, keys) },
        { provide: PersonKeys, useValue: keys },
        { provide: DataSource, useValue: runtime.dataSource },
      ],
    };
  }
}
