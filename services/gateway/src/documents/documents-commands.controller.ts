import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IdentityDocumentsClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { idempotencyKeyHeader as idempotencyKey, ifMatchHeader, repeatedResponse as repeated } from '../http/command-route.js';
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

const ifMatch = ifMatchHeader('Expected version of the documents stream (quotes allowed); a stale one answers 409');
const created = ApiCreatedResponse({ type: CommandResultView, description: 'Recorded; id is the personId' });
const personId = ApiParam({ name: 'personId', format: 'uuid', description: 'Checked for format only: the documents context keeps its own stream per person' });

/** The identity-documents context's commands: validated here, decided by its service. */
@ApiTags('documents')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people/:personId/documents')
export class DocumentsCommandsController {
  constructor(@Inject(IDENTITY_DOCUMENTS_CLIENT) private readonly documents: IdentityDocumentsClient) {}

  @Post('passport-confiscations')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that an authority confiscated the passport' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  async recordPassportConfiscation(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordPassportConfiscationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.documents.recordPassportConfiscation(
        { metadata, personId: id, confiscatedAt: body.confiscatedAt, authority: body.authority, place: body.place ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('passport-destructions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that an authority destroyed the passport (also one it had confiscated)' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  async recordPassportDestruction(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordPassportDestructionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.documents.recordPassportDestruction(
        { metadata, personId: id, destroyedAt: body.destroyedAt, authority: body.authority, account: body.account ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('temporary-certificates')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a temporary certificate an authority issued, such as the OGiM A4 certificate' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  async issueTemporaryCertificate(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: IssueTemporaryCertificateBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.documents.issueTemporaryCertificate(
        { metadata, personId: id, issuedAt: body.issuedAt, issuer: body.issuer, format: body.format, validAsIdentityDocument: body.validAsIdentityDocument ?? false },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('travel-document-applications')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an application for a travel document', description: 'The service assigns the application id and answers it as applicationId' })
  @personId
  @idempotencyKey
  @ifMatch
  @ApiCreatedResponse({ type: TravelDocumentApplicationResultView, description: 'Recorded; id is the personId' })
  @ApiOkResponse({ type: TravelDocumentApplicationResultView, description: 'A repeated request (same Idempotency-Key): the first answer and application id' })
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
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return { ...commandAnswer(result, reply), applicationId: result.applicationId };
  }

  @Post('travel-document-applications/:applicationId/decision')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record the decision on an open application: issued or refused', description: 'Country and document type come from the application' })
  @personId
  @ApiParam({ name: 'applicationId', format: 'uuid' })
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async decideTravelDocumentApplication(
    @Param('personId', uuidParam('personId')) id: string,
    @Param('applicationId', uuidParam('applicationId')) applicationId: string,
    @Body() body: DecideTravelDocumentApplicationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.documents.decideTravelDocumentApplication(
        { metadata, personId: id, applicationId, decision: body.decision, decidedAt: body.decidedAt, validUntil: body.validUntil ?? '', reason: body.reason ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }
}
