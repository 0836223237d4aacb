import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IdentityDocumentsClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { CommandRoute, idempotencyKeyHeader, ifMatchHeader, sendCommand, uuidPathParam } from '../http/command-route.js';
import { uuidParam } from '../http/validation.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { IDENTITY_DOCUMENTS_CLIENT } from '../tokens.js';
import { ApplyForTravelDocumentBody } from './apply-for-travel-document.dto.js';
import { DecideTravelDocumentApplicationBody } from './decide-travel-document-application.dto.js';
import { IssueTemporaryCertificateBody } from './issue-temporary-certificate.dto.js';
import { TravelDocumentApplicationResultView } from './person-documents.view.js';
import { RecordPassportConfiscationBody } from './record-passport-confiscation.dto.js';
import { RecordPassportDestructionBody } from './record-passport-destruction.dto.js';

const ifMatchText = 'Expected version of the documents stream (quotes allowed); a stale one answers 409';
const personIdParam = { name: 'personId', description: 'Checked for format only: the documents context keeps its own stream per person' };
/** A documents command on one person: what CommandRoute needs besides its summary and problems. */
const onPerson = { uuidParams: [personIdParam], ifMatch: ifMatchText, created: 'Recorded; id is the personId' };

/** The identity-documents context's commands: validated here, decided by its service. */
@ApiTags('documents')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people/:personId/documents')
export class DocumentsCommandsController {
  constructor(@Inject(IDENTITY_DOCUMENTS_CLIENT) private readonly documents: IdentityDocumentsClient) {}

  @CommandRoute('passport-confiscations', {
    summary: 'Record that an authority confiscated the passport',
    ...onPerson,
    problems: [400, 409, 413, 422],
  })
  recordPassportConfiscation(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordPassportConfiscationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.documents.recordPassportConfiscation(
        { metadata, personId: id, confiscatedAt: body.confiscatedAt, authority: body.authority, place: body.place ?? '' },
        ...options,
      ),
    );
  }

  @CommandRoute('passport-destructions', {
    summary: 'Record that an authority destroyed the passport (also one it had confiscated)',
    ...onPerson,
    problems: [400, 409, 413, 422],
  })
  recordPassportDestruction(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordPassportDestructionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.documents.recordPassportDestruction(
        { metadata, personId: id, destroyedAt: body.destroyedAt, authority: body.authority, account: body.account ?? '' },
        ...options,
      ),
    );
  }

  @CommandRoute('temporary-certificates', {
    summary: 'Record a temporary certificate an authority issued, such as the OGiM A4 certificate',
    ...onPerson,
    problems: [400, 409, 413, 422],
  })
  issueTemporaryCertificate(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: IssueTemporaryCertificateBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.documents.issueTemporaryCertificate(
        {
          metadata,
          personId: id,
          issuedAt: body.issuedAt,
          issuer: body.issuer,
          format: body.format,
          validAsIdentityDocument: body.validAsIdentityDocument ?? false,
        },
        ...options,
      ),
    );
  }

  @Post('travel-document-applications')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record an application for a travel document',
    description: 'The service assigns the application id and answers it as applicationId',
  })
  @uuidPathParam(personIdParam)
  @idempotencyKeyHeader
  @ifMatchHeader(ifMatchText)
  @ApiCreatedResponse({ type: TravelDocumentApplicationResultView, description: 'Recorded; id is the personId' })
  @ApiOkResponse({
    type: TravelDocumentApplicationResultView,
    description: 'A repeated request (same Idempotency-Key): the first answer and application id',
  })
  @ApiGuardedProblems(400, 409, 413, 422)
  async applyForTravelDocument(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: ApplyForTravelDocumentBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TravelDocumentApplicationResultView> {
    const result = await unary(
      this.documents.applyForTravelDocument(
        { metadata, personId: id, applicationId: '', appliedAt: body.appliedAt, country: body.country, documentType: body.documentType },
        ...callOptions(commandDeadlineMs, reply.request),
      ),
    );
    return { ...commandAnswer(result, reply), applicationId: result.applicationId };
  }

  @CommandRoute('travel-document-applications/:applicationId/decision', {
    summary: 'Record the decision on an open application: issued or refused',
    description: 'Country and document type come from the application',
    ...onPerson,
    uuidParams: [personIdParam, 'applicationId'],
    problems: [400, 404, 409, 413, 422],
  })
  decideTravelDocumentApplication(
    @Param('personId', uuidParam('personId')) id: string,
    @Param('applicationId', uuidParam('applicationId')) applicationId: string,
    @Body() body: DecideTravelDocumentApplicationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.documents.decideTravelDocumentApplication(
        {
          metadata,
          personId: id,
          applicationId,
          decision: body.decision,
          decidedAt: body.decidedAt,
          validUntil: body.validUntil ?? '',
          reason: body.reason ?? '',
        },
        ...options,
      ),
    );
  }
}
