import { Body, Controller, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { LegalClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { CommandRoute, sendCommand } from '../http/command-route.js';
import { uuidParam } from '../http/validation.js';
import type { CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { LEGAL_CLIENT } from '../tokens.js';
import { AttachEvidenceBody } from './attach-evidence.dto.js';
import { ChangeSubmissionStatusBody } from './change-submission-status.dto.js';
import { FileSubmissionBody } from './file-submission.dto.js';
import { FlagViolationBody } from './flag-violation.dto.js';
import { ViolationDecisionBody } from './violation-decision.dto.js';

const ifMatch = "Expected version of the case's stream (quotes allowed); a stale one answers 409";

/**
 * Advisors' commands on a case: validated here, decided by the legal service. Rules only flag;
 * people confirm, dismiss, attach evidence and file submissions, as advisor:<token subject>.
 */
@ApiTags('legal')
@ApiBearerAuth(bearerScheme)
@Controller('v1/legal/cases/:caseId')
export class LegalCaseCommandsController {
  constructor(@Inject(LEGAL_CLIENT) private readonly legal: LegalClient) {}

  @CommandRoute('violations', {
    summary: 'Flag a possible violation no rule saw; it waits for a confirmation like any flag',
    uuidParams: ['caseId'],
    ifMatch,
    created: 'Recorded; id is the new violationId',
    problems: [400, 404, 409, 413, 422],
  })
  flag(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Body() body: FlagViolationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.legal.flagViolation(
        {
          metadata,
          caseId: id,
          instrument: body.instrument,
          provision: body.provision ?? '',
          restsOn: body.restsOn ?? [],
          summary: body.summary,
        },
        ...options,
      ),
    );
  }

  @CommandRoute('violations/:violationId/confirm', {
    summary: 'Confirm a flagged violation, with reasoning (once; not after a dismissal)',
    uuidParams: ['caseId', 'violationId'],
    ifMatch,
    created: 'Recorded; id is the caseId',
    problems: [400, 404, 409, 413, 422],
  })
  confirm(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Param('violationId', uuidParam('violationId')) violationId: string,
    @Body() body: ViolationDecisionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.legal.confirmViolation({ metadata, caseId: id, violationId, reasoning: body.reasoning }, ...options),
    );
  }

  @CommandRoute('violations/:violationId/dismiss', {
    summary: 'Dismiss a flagged violation, with reasoning (once; not after a confirmation)',
    uuidParams: ['caseId', 'violationId'],
    ifMatch,
    created: 'Recorded; id is the caseId',
    problems: [400, 404, 409, 413, 422],
  })
  dismiss(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Param('violationId', uuidParam('violationId')) violationId: string,
    @Body() body: ViolationDecisionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.legal.dismissViolation({ metadata, caseId: id, violationId, reasoning: body.reasoning }, ...options),
    );
  }

  @CommandRoute('evidence', {
    summary: 'Attach evidence by the SHA-256 of its file (each file once per case)',
    uuidParams: ['caseId'],
    ifMatch,
    created: 'Recorded; id is the new evidenceId',
    problems: [400, 404, 409, 413, 422],
  })
  attachEvidence(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Body() body: AttachEvidenceBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.legal.attachEvidence(
        {
          metadata,
          caseId: id,
          kind: body.kind,
          source: body.source,
          sha256: body.sha256.toLowerCase(),
          description: body.description,
          violationIds: body.violationIds ?? [],
        },
        ...options,
      ),
    );
  }

  @CommandRoute('submissions', {
    summary: 'File a submission to a forum about confirmed violations of the case',
    uuidParams: ['caseId'],
    ifMatch,
    created: 'Recorded; id is the new submissionId',
    problems: [400, 404, 409, 413, 422],
  })
  fileSubmission(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Body() body: FileSubmissionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.legal.fileSubmission(
        {
          metadata,
          caseId: id,
          forum: body.forum,
          violationIds: body.violationIds,
          status: body.status ?? 'drafted',
          reference: body.reference ?? '',
        },
        ...options,
      ),
    );
  }

  @CommandRoute('submissions/:submissionId/status', {
    summary: "Move a submission on: filed, registered, communicated, decided or rejected, as the forum's process allows",
    uuidParams: ['caseId', 'submissionId'],
    ifMatch,
    created: 'Recorded; id is the caseId',
    problems: [400, 404, 409, 413, 422],
  })
  changeSubmissionStatus(
    @Param('caseId', uuidParam('caseId')) id: string,
    @Param('submissionId', uuidParam('submissionId')) submissionId: string,
    @Body() body: ChangeSubmissionStatusBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.legal.changeSubmissionStatus(
        { metadata, caseId: id, submissionId, status: body.status, reference: body.reference ?? '', note: body.note ?? '' },
        ...options,
      ),
    );
  }
}
