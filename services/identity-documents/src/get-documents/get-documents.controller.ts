import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { identityDocuments } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { findDocument } from '@homeward/eventsourcing';
import { openMessage, PersonKeys, scrubMessage } from '@homeward/personal-data';
import { DataSource } from 'typeorm';
import { requirePersonId } from '../documents-commands.js';
import { personDocuments, personDocumentsMessage, type PersonDocumentsDocument } from '../person-documents/person-documents.projection.js';

@Controller()
export class GetDocumentsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  /** Not found means nothing is recorded for this person here: the passport is presumed held. */
  @GrpcMethod('IdentityDocumentsService', 'GetDocuments')
  async getDocuments(request: identityDocuments.GetDocumentsRequest): Promise<identityDocuments.PersonDocuments> {
    const documents = await findDocument<PersonDocumentsDocument>(
      this.dataSource.manager,
      personDocuments,
      requirePersonId(request.personId),
    );
    if (!documents) throw notFound('documents.not-found', 'no documents are recorded for this person');
    if (request.minVersion !== undefined && documents.streamVersion < request.minVersion) {
      throw new DomainError(
        'not-yet-consistent',
        'documents.not-yet-consistent',
        `the documents are at version ${documents.streamVersion}`,
      );
    }
    const key = await this.keys.find(this.dataSource, documents.personId);
    // An erased person's values read as unknown, whatever a rebuild copied back into the read
    // model (ciphertext whose key is gone, or a value recorded before fields were sealed).
    return key.state === 'forgotten'
      ? scrubMessage(personDocumentsMessage, documents)
      : openMessage(personDocumentsMessage, documents, key);
  }
}
