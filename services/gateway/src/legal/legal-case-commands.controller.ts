import { Controller, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { LegalClient } from '../grpc/grpc-clients.js';
import { CommandRoutes, commandsOf } from '../http/command-route.js';
import { bearerScheme } from '../openapi/openapi.js';
import { LEGAL_CLIENT } from '../tokens.js';
import { AttachEvidenceBody } from './attach-evidence.dto.js';
import { ChangeSubmissionStatusBody } from './change-submission-status.dto.js';
import { FileSubmissionBody } from './file-submission.dto.js';
import { FlagViolationBody } from './flag-violation.dto.js';
import { ViolationDecisionBody } from './violation-decision.dto.js';

const command = commandsOf<LegalClient>();
/** What every command on a case shares. */
const onCase = {
  ifMatch: "Expected version of the case's stream (quotes allowed); a stale one answers 409",
  problems: [400, 404, 409, 413, 422],
} as const;
const onViolation = { ...onCase, uuidParams: ['caseId', 'violationId'], created: 'Recorded; id is the caseId' } as const;

/**
 * Advisors' commands on a case: validated here, decided by the legal service. Rules only flag;
 * people confirm, dismiss, attach evidence and file submissions, as advisor:<token subject>.
 */
@ApiTags('legal')
@ApiBearerAuth(bearerScheme)
@Controller('v1/legal/cases/:caseId')
@CommandRoutes({
  flag: command({
    path: 'violations',
    summary: 'Flag a possible violation no rule saw; it waits for a confirmation like any flag',
    uuidParams: ['caseId'],
    ...onCase,
    created: 'Recorded; id is the new violationId',
    body: FlagViolationBody,
    rpc: 'flagViolation',
    request: (body) => ({
      instrument: body.instrument,
      provision: body.provision ?? '',
      restsOn: body.restsOn ?? [],
      summary: body.summary,
    }),
  }),
  confirm: command({
    path: 'violations/:violationId/confirm',
    summary: 'Confirm a flagged violation, with reasoning (once; not after a dismissal)',
    ...onViolation,
    body: ViolationDecisionBody,
    rpc: 'confirmViolation',
    request: (body) => ({ reasoning: body.reasoning }),
  }),
  dismiss: command({
    path: 'violations/:violationId/dismiss',
    summary: 'Dismiss a flagged violation, with reasoning (once; not after a confirmation)',
    ...onViolation,
    body: ViolationDecisionBody,
    rpc: 'dismissViolation',
    request: (body) => ({ reasoning: body.reasoning }),
  }),
  attachEvidence: command({
    path: 'evidence',
    summary: 'Attach evidence by the SHA-256 of its file (each file once per case)',
    uuidParams: ['caseId'],
    ...onCase,
    created: 'Recorded; id is the new evidenceId',
    body: AttachEvidenceBody,
    rpc: 'attachEvidence',
    request: (body) => ({
      kind: body.kind,
      source: body.source,
      sha256: body.sha256.toLowerCase(),
      description: body.description,
      violationIds: body.violationIds ?? [],
    }),
  }),
  fileSubmission: command({
    path: 'submissions',
    summary: 'File a submission to a forum about confirmed violations of the case',
    uuidParams: ['caseId'],
    ...onCase,
    created: 'Recorded; id is the new submissionId',
    body: FileSubmissionBody,
    rpc: 'fileSubmission',
    request: (body) => ({
      forum: body.forum,
      violationIds: body.violationIds,
      status: body.status ?? 'drafted',
      reference: body.reference ?? '',
    }),
  }),
  changeSubmissionStatus: command({
    path: 'submissions/:submissionId/status',
    summary: "Move a submission on: filed, registered, communicated, decided or rejected, as the forum's process allows",
    uuidParams: ['caseId', 'submissionId'],
    ...onCase,
    created: 'Recorded; id is the caseId',
    body: ChangeSubmissionStatusBody,
    rpc: 'changeSubmissionStatus',
    request: (body) => ({ status: body.status, reference: body.reference ?? '', note: body.note ?? '' }),
  }),
})
export class LegalCaseCommandsController {
  constructor(@Inject(LEGAL_CLIENT) readonly client: LegalClient) {}
}
