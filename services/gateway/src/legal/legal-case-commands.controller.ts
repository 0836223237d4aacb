import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type LegalClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { uuidParam } from '../http/validation.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { LEGAL_CLIENT } from '../tokens.js';
import { AttachEvidenceBody } from './attach-evidence.dto.js';
import { ChangeSubmissionStatusBody } from './change-submission-status.dto.js';
import { FileSubmissionBody } from './file-submission.dto.js';
import { FlagViolationBody } from './flag-violation.dto.js';
import { ViolationDecisionBody } from './violation-decision.dto.js';

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: '1..200 printable characters; a retry with the same key and body records nothing new' });
const ifMatch = ApiHeader({ name: 'If-Match', required: false, description: "Expected version of the case's stream (quotes allowed); a stale one answers 409" });
const repeated = ApiOkResponse({ type: CommandResultView, description: 'A repeated request (same Idempotency-Key): the first answer, nothing new recorded' });
const caseId = ApiParam({ name: 'caseId', format: 'uuid' });
const created = (what: string) => ApiCreatedResponse({ type: CommandResultView, description: `Recorded; id is ${what}` });

/**
 * Advisors' commands on a case: validated here, decided by the legal service. Rules only flag;
 * people confirm, dismiss, attach evidence and file submissions, as advisor:<token subject>.
 */
@ApiTags('legal')
@ApiBearerAuth(bearerScheme)
@Controller('v1/legal/cases/:caseId')
export class LegalCaseCommandsController {
  constructor(@Inject(LEGAL_CLIENT) private readonly legal: LegalClient) {}

  @Post('violations')
  @HttpCode(201)
  @ApiOperation({ summary: 'Flag a possible violation no rule saw; it waits for a confirmation like any flag' })
  @caseId
  @idempotencyKey
  @ifMatch
  @created('the new violationId')
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async flag(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Body() body: FlagViolationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.legal.flagViolation(
        { metadata, caseId: id, instrument: body.instrument, provision: body.provision ?? '', restsOn: body.restsOn ?? [], summary: body.summary },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('violations/:violationId/confirm')
  @HttpCode(201)
  @ApiOperation({ summary: 'Confirm a flagged violation, with reasoning (once; not after a dismissal)' })
  @caseId
  @ApiParam({ name: 'violationId', format: 'uuid' })
  @idempotencyKey
  @ifMatch
  @created('the caseId')
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async confirm(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Param('violationId', uuidParam('violationId')) violationId: string,
    @Body() body: ViolationDecisionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.legal.confirmViolation({ metadata, caseId: id, violationId, reasoning: body.reasoning }, ...callOptions(commandDeadlineMs, metadata.correlationId)),
    );
    return commandAnswer(result, reply);
  }

  @Post('violations/:violationId/dismiss')
  @HttpCode(201)
  @ApiOperation({ summary: 'Dismiss a flagged violation, with reasoning (once; not after a confirmation)' })
  @caseId
  @ApiParam({ name: 'violationId', format: 'uuid' })
  @idempotencyKey
  @ifMatch
  @created('the caseId')
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async dismiss(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Param('violationId', uuidParam('violationId')) violationId: string,
    @Body() body: ViolationDecisionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.legal.dismissViolation({ metadata, caseId: id, violationId, reasoning: body.reasoning }, ...callOptions(commandDeadlineMs, metadata.correlationId)),
    );
    return commandAnswer(result, reply);
  }

  @Post('evidence')
  @HttpCode(201)
  @ApiOperation({ summary: 'Attach evidence by the SHA-256 of its file (each file once per case)' })
  @caseId
  @idempotencyKey
  @ifMatch
  @created('the new evidenceId')
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async attachEvidence(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Body() body: AttachEvidenceBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.legal.attachEvidence(
        { metadata, caseId: id, kind: body.kind, source: body.source, sha256: body.sha256.toLowerCase(), description: body.description, violationIds: body.violationIds ?? [] },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('submissions')
  @HttpCode(201)
  @ApiOperation({ summary: 'File a submission to a forum about confirmed violations of the case' })
  @caseId
  @idempotencyKey
  @ifMatch
  @created('the new submissionId')
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async fileSubmission(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Body() body: FileSubmissionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.legal.fileSubmission(
        { metadata, caseId: id, forum: body.forum, violationIds: body.violationIds, status: body.status ?? 'drafted', reference: body.reference ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('submissions/:submissionId/status')
  @HttpCode(201)
  @ApiOperation({ summary: "Move a submission on: filed, registered, communicated, decided or rejected, as the forum's process allows" })
  @caseId
  @ApiParam({ name: 'submissionId', format: 'uuid' })
  @idempotencyKey
  @ifMatch
  @created('the caseId')
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async changeSubmissionStatus(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Param('submissionId', uuidParam('submissionId')) submissionId: string,
    @Body() body: ChangeSubmissionStatusBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.legal.changeSubmissionStatus(
        { metadata, caseId: id, submissionId, status: body.status, reference: body.reference ?? '', note: body.note ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }
}
