import { Body, Controller, Delete, HttpCode, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { IntakeClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { CommandRoute, idempotencyKeyHeader, ifMatchHeader, sendCommand } from '../http/command-route.js';
import { uuidParam } from '../http/validation.js';
import { CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { RecordContactLostBody, RecordContactReestablishedBody } from './record-contact.dto.js';
import { deportationOf, RecordDeportationBody } from './record-deportation.dto.js';
import { imprisonmentOf, RecordImprisonmentBody } from './record-imprisonment.dto.js';
import { RecordReleaseBody, releaseOf } from './record-release.dto.js';
import { RecordReturnAttemptBody } from './record-return-attempt.dto.js';
import { personDetailsOf, RegisterPersonBody } from './register-person.dto.js';
import { ReportDetentionConditionBody } from './report-detention-condition.dto.js';
import { ReportRearrestBody } from './report-rearrest.dto.js';

const ifMatch = 'Expected stream version (a non-negative integer, quotes allowed); a stale one answers 409';
/** What every command on one person's file shares. */
const personCommand = { uuidParams: ['personId'], ifMatch, created: 'Recorded' };

/** Intake's commands: validated here, decided by the intake service. */
@ApiTags('people')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people')
export class PeopleCommandsController {
  constructor(@Inject(INTAKE_CLIENT) private readonly intake: IntakeClient) {}

  @CommandRoute('', {
    summary: 'Register a person',
    description: 'intake assigns the person id; the Location header points at the file',
    uuidParams: [],
    created: 'Recorded',
    problems: [400, 409, 413, 422],
  })
  async register(
    @Body() body: RegisterPersonBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const answer = await sendCommand(metadata, reply, (...options) =>
      this.intake.registerPerson({ metadata, personId: '', ...personDetailsOf(body), batchId: body.batchId ?? '' }, ...options),
    );
    reply.header('location', `/v1/people/${answer.id}`);
    return answer;
  }

  @CommandRoute(':personId/imprisonment', {
    summary: 'Record an imprisonment',
    description:
      'Begins a custody episode: the first after registration, a later one after a re-arrest (person.not-re-arrested otherwise; person.already-imprisoned while imprisoned). A release needs one. Unknown details may be left out; the expected release is computed from the start and the months when not given.',
    ...personCommand,
    problems: [400, 409, 413, 422],
  })
  recordImprisonment(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordImprisonmentBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.recordImprisonment({ metadata, personId: id, ...imprisonmentOf(body) }, ...options),
    );
  }

  @CommandRoute(':personId/detention-conditions', {
    summary: 'Report a detention condition',
    description: 'Needs a recorded imprisonment; may be reported after the release. It belongs to the latest custody episode.',
    ...personCommand,
    problems: [400, 409, 413, 422],
  })
  reportDetentionCondition(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: ReportDetentionConditionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.reportDetentionCondition(
        {
          metadata,
          personId: id,
          kind: body.kind,
          periodFrom: body.periodFrom ?? '',
          periodTo: body.periodTo ?? '',
          account: body.account ?? '',
        },
        ...options,
      ),
    );
  }

  @CommandRoute(':personId/release', {
    summary: 'Record a release from prison',
    description:
      "Ends the current imprisonment. daysOfSentenceRemaining, when stated, is kept as stated; when absent or 0 it is derived from the imprisonment's expected release date (0 once it has passed), and the file says which (sentenceRemainingSource). The batch's nearEndOfSentence counts 1 to 182 days.",
    ...personCommand,
    problems: [400, 404, 409, 413, 422],
  })
  recordRelease(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordReleaseBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.recordRelease({ metadata, personId: id, ...releaseOf(body, body.batchId ?? '') }, ...options),
    );
  }

  @CommandRoute(':personId/deportation', { summary: 'Record a deportation', ...personCommand, problems: [400, 404, 409, 413, 422] })
  recordDeportation(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordDeportationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.recordDeportation({ metadata, personId: id, ...deportationOf(body) }, ...options),
    );
  }

  @CommandRoute(':personId/return-attempts', {
    summary: 'Record an attempt to return home',
    description:
      'Needs a recorded deportation; crossed means home. Opens a welfare check in notifications, cleared by any contact recorded before it is due.',
    ...personCommand,
    problems: [400, 409, 413, 422],
  })
  recordReturnAttempt(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordReturnAttemptBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.recordReturnAttempt(
        { metadata, personId: id, attemptedAt: body.attemptedAt, borderCrossing: body.borderCrossing ?? '', outcome: body.outcome },
        ...options,
      ),
    );
  }

  @CommandRoute(':personId/contact-lost', {
    summary: 'Record that contact with the person is lost',
    description: 'The status becomes whereabouts-unknown until contact is re-established. Opens a welfare check in notifications.',
    ...personCommand,
    problems: [400, 409, 413, 422],
  })
  recordContactLost(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordContactLostBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.recordContactLost({ metadata, personId: id, lastContactAt: body.lastContactAt, reportedBy: body.reportedBy }, ...options),
    );
  }

  @CommandRoute(':personId/contact-reestablished', {
    summary: 'Record that contact is re-established',
    description:
      'A contact is a fact whenever it is reported: it ends a lost contact (the status returns to what it was) and clears every open welfare check of the person, whatever opened it (a return attempt or a lost contact). Accepted when no concern is open too.',
    ...personCommand,
    problems: [400, 409, 413, 422],
  })
  recordContactReestablished(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordContactReestablishedBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.recordContactReestablished(
        { metadata, personId: id, contactAt: body.contactAt, reportedBy: body.reportedBy },
        ...options,
      ),
    );
  }

  @CommandRoute(':personId/rearrest', {
    summary: 'Report a re-arrest',
    description: 'Needs a release (the person at liberty, deported or home); ends the custody episode. A new imprisonment may follow.',
    ...personCommand,
    problems: [400, 409, 413, 422],
  })
  reportRearrest(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: ReportRearrestBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.intake.reportRearrest({ metadata, personId: id, reportedAt: body.reportedAt, place: body.place ?? '' }, ...options),
    );
  }

  @Delete(':personId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a person (crypto-shredding)',
    description:
      "Destroys the person's key and records PersonForgotten: the events stay, their personal fields unreadable everywhere (Kafka and the audit copy included); the file keeps the non-personal story, marked forgotten. Refused (422 person.forgotten) when already erased.",
  })
  @ApiParam({ name: 'personId', format: 'uuid' })
  @idempotencyKeyHeader
  @ifMatchHeader(ifMatch)
  @ApiOkResponse({ type: CommandResultView, description: 'Erased (or, with a repeated Idempotency-Key, the first answer)' })
  @ApiGuardedProblems(400, 409, 422)
  forget(
    @Param('personId', uuidParam('personId')) id: string,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) => this.intake.forgetPerson({ metadata, personId: id }, ...options));
  }
}
