import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { identityDocuments } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { findDocument } from '@homeward/eventsourcing';
import { DataSource } from 'typeorm';
import { requirePersonId } from '../documents-commands.js';
import { personDocuments, type PersonDocumentsDocument } from '../person-documents/person-documents.projection.js';

@Controller()
export class GetDocumentsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Not found means nothing is recorded for this person here: the passport is presumed held. */
  @GrpcMethod('IdentityDocumentsService', 'GetDocuments')
  async getDocuments(request: identityDocuments.GetDocumentsRequest): Promise<identityDocuments.PersonDocuments> {
    const documents = await findDocument<PersonDocumentsDocument>(this.dataSource.manager, personDocuments, requirePersonId(request.personId));
    if (!documents) throw notFound('documents.not-found', 'no documents are recorded for this person');
    if (request.minVersion !== undefined && documents.streamVersion < request.minVersion) {
      throw new DomainError('not-yet-consistent', 'documents.not-yet-consistent', `the documents are at version ${documents.streamVersion}`);
    }
    return documents;
  }
}
