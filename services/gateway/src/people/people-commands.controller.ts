import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { common } from '@homeward/contracts';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { callOptions, commandDeadlineMs, unary, type IntakeClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { uuidParam } from '../http/validation.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
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

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: '1..200 printable characters; a retry with the same key and body records nothing new' });
const ifMatch = ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream version (a non-negative integer, quotes allowed); a stale one answers 409' });
const created = ApiCreatedResponse({ type: CommandResultView, description: 'Recorded' });
const repeated = ApiOkResponse({ type: CommandResultView, description: 'A repeated request (same Idempotency-Key): the first answer, nothing new recorded' });
const personId = ApiParam({ name: 'personId', format: 'uuid' });

/** Intake's commands: validated here, decided by the intake service. */
@ApiTags('people')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people')
export class PeopleCommandsController {
  constructor(@Inject(INTAKE_CLIENT) private readonly intake: IntakeClient) {}

  private async send(call: Observable<common.CommandResult>, reply: FastifyReply): Promise<CommandResultView> {
    return commandAnswer(await unary(call), reply);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a person', description: 'intake assigns the person id; the Location header points at the file' })
  @idempotencyKey
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  async register(
    @Body() body: RegisterPersonBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.intake.registerPerson(
        { metadata, personId: '', ...personDetailsOf(body), batchId: body.batchId ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    reply.header('location', `/v1/people/${result.id}`);
    return commandAnswer(result, reply);
  }

  @Post(':personId/imprisonment')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an imprisonment', description: 'Once per person; a release needs one. Unknown details may be left out.' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  recordImprisonment(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordImprisonmentBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(this.intake.recordImprisonment({ metadata, personId: id, ...imprisonmentOf(body) }, ...callOptions(commandDeadlineMs, metadata.correlationId)), reply);
  }

  @Post(':personId/detention-conditions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Report a detention condition', description: 'Needs a recorded imprisonment; may be reported after the release' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  reportDetentionCondition(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: ReportDetentionConditionBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(
      this.intake.reportDetentionCondition(
        { metadata, personId: id, kind: body.kind, periodFrom: body.periodFrom ?? '', periodTo: body.periodTo ?? '', account: body.account ?? '' },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
      reply,
    );
  }

  @Post(':personId/release')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a release from prison', description: 'Needs a recorded imprisonment' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  recordRelease(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordReleaseBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(
      this.intake.recordRelease({ metadata, personId: id, ...releaseOf(body, body.batchId ?? '') }, ...callOptions(commandDeadlineMs, metadata.correlationId)),
      reply,
    );
  }

  @Post(':personId/deportation')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a deportation' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  recordDeportation(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordDeportationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(this.intake.recordDeportation({ metadata, personId: id, ...deportationOf(body) }, ...callOptions(commandDeadlineMs, metadata.correlationId)), reply);
  }

  @Post(':personId/return-attempts')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an attempt to return home', description: 'Needs a recorded deportation; crossed means home' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  recordReturnAttempt(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordReturnAttemptBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(
      this.intake.recordReturnAttempt(
        { metadata, personId: id, attemptedAt: body.attemptedAt, borderCrossing: body.borderCrossing ?? '', outcome: body.outcome },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
      reply,
    );
  }

  @Post(':personId/contact-lost')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that contact with the person is lost', description: 'The status becomes whereabouts-unknown until contact is re-established' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  recordContactLost(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordContactLostBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(
      this.intake.recordContactLost({ metadata, personId: id, lastContactAt: body.lastContactAt, reportedBy: body.reportedBy }, ...callOptions(commandDeadlineMs, metadata.correlationId)),
      reply,
    );
  }

  @Post(':personId/contact-reestablished')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that contact is re-established', description: 'Needs a lost contact; the status returns to what it was' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  recordContactReestablished(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordContactReestablishedBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(
      this.intake.recordContactReestablished({ metadata, personId: id, contactAt: body.contactAt, reportedBy: body.reportedBy }, ...callOptions(commandDeadlineMs, metadata.correlationId)),
      reply,
    );
  }

  @Post(':personId/rearrest')
  @HttpCode(201)
  @ApiOperation({ summary: 'Report a re-arrest', description: 'Needs a recorded release' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 409, 413, 422)
  reportRearrest(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: ReportRearrestBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return this.send(
      this.intake.reportRearrest({ metadata, personId: id, reportedAt: body.reportedAt, place: body.place ?? '' }, ...callOptions(commandDeadlineMs, metadata.correlationId)),
      reply,
    );
  }

  @Delete(':personId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a person (crypto-shredding)',
    description:
      "Destroys the person's key and records PersonForgotten: the events stay, their personal fields unreadable everywhere (Kafka and the audit copy included); the file keeps the non-personal story, marked forgotten. Refused (422 person.forgotten) when already erased.",
  })
  @personId
  @idempotencyKey
  @ifMatch
  @ApiOkResponse({ type: CommandResultView, description: 'Erased (or, with a repeated Idempotency-Key, the first answer)' })
  @ApiGuardedProblems(400, 409, 422)
  forget(@Param('personId', uuidParam('personId')) id: string, @CommandMeta() metadata: CommandMetadata, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandResultView> {
    return this.send(this.intake.forgetPerson({ metadata, personId: id }, ...callOptions(commandDeadlineMs, metadata.correlationId)), reply);
  }
}
