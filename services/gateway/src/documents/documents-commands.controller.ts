import { Controller, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { IdentityDocumentsClient } from '../grpc/grpc-clients.js';
import { CommandRoutes, commandsOf } from '../http/command-route.js';
import { bearerScheme } from '../openapi/openapi.js';
import { IDENTITY_DOCUMENTS_CLIENT } from '../tokens.js';
import { ApplyForTravelDocumentBody } from './apply-for-travel-document.dto.js';
import { DecideTravelDocumentApplicationBody } from './decide-travel-document-application.dto.js';
import { IssueTemporaryCertificateBody } from './issue-temporary-certificate.dto.js';
import { TravelDocumentApplicationResultView } from './person-documents.view.js';
import { RecordPassportConfiscationBody } from './record-passport-confiscation.dto.js';
import { RecordPassportDestructionBody } from './record-passport-destruction.dto.js';

const command = commandsOf<IdentityDocumentsClient>();
const personIdParam = {
  name: 'personId',
  description: 'Checked for format only: the documents context keeps its own stream per person',
} as const;
/** A documents command on one person: what a descriptor needs besides its route, summary, problems and call. */
const onPerson = {
  uuidParams: [personIdParam],
  ifMatch: 'Expected version of the documents stream (quotes allowed); a stale one answers 409',
  created: 'Recorded; id is the personId',
} as const;

/** The identity-documents context's commands: validated here, decided by its service. */
@ApiTags('documents')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people/:personId/documents')
@CommandRoutes({
  recordPassportConfiscation: command({
    path: 'passport-confiscations',
    summary: 'Record that an authority confiscated the passport',
    ...onPerson,
    problems: [400, 409, 413, 422],
    body: RecordPassportConfiscationBody,
    rpc: 'recordPassportConfiscation',
    request: (body) => ({ confiscatedAt: body.confiscatedAt, authority: body.authority, place: body.place ?? '' }),
  }),
  recordPassportDestruction: command({
    path: 'passport-destructions',
    summary: 'Record that an authority destroyed the passport (also one it had confiscated)',
    ...onPerson,
    problems: [400, 409, 413, 422],
    body: RecordPassportDestructionBody,
    rpc: 'recordPassportDestruction',
    request: (body) => ({ destroyedAt: body.destroyedAt, authority: body.authority, account: body.account ?? '' }),
  }),
  issueTemporaryCertificate: command({
    path: 'temporary-certificates',
    summary: 'Record a temporary certificate an authority issued, such as the OGiM A4 certificate',
    ...onPerson,
    problems: [400, 409, 413, 422],
    body: IssueTemporaryCertificateBody,
    rpc: 'issueTemporaryCertificate',
    request: (body) => ({
      issuedAt: body.issuedAt,
      issuer: body.issuer,
      format: body.format,
      validAsIdentityDocument: body.validAsIdentityDocument ?? false,
    }),
  }),
  applyForTravelDocument: command({
    path: 'travel-document-applications',
    summary: 'Record an application for a travel document',
    description: 'The service assigns the application id and answers it as applicationId',
    ...onPerson,
    view: TravelDocumentApplicationResultView,
    repeated: 'A repeated request (same Idempotency-Key): the first answer and application id',
    problems: [400, 409, 413, 422],
    body: ApplyForTravelDocumentBody,
    rpc: 'applyForTravelDocument',
    request: (body) => ({ applicationId: '', appliedAt: body.appliedAt, country: body.country, documentType: body.documentType }),
    answerFields: (result) => ({ applicationId: result.applicationId }),
  }),
  decideTravelDocumentApplication: command({
    path: 'travel-document-applications/:applicationId/decision',
    summary: 'Record the decision on an open application: issued or refused',
    description: 'Country and document type come from the application',
    ...onPerson,
    uuidParams: [personIdParam, 'applicationId'],
    problems: [400, 404, 409, 413, 422],
    body: DecideTravelDocumentApplicationBody,
    rpc: 'decideTravelDocumentApplication',
    request: (body) => ({
      decision: body.decision,
      decidedAt: body.decidedAt,
      validUntil: body.validUntil ?? '',
      reason: body.reason ?? '',
    }),
  }),
})
export class DocumentsCommandsController {
  constructor(@Inject(IDENTITY_DOCUMENTS_CLIENT) readonly client: IdentityDocumentsClient) {}
}
