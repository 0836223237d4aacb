import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IntakeClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { uuidParam } from '../http/validation.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { RecordDeportationBody } from './record-deportation.dto.js';
import { RecordReleaseBody } from './record-release.dto.js';
import { RegisterPersonBody } from './register-person.dto.js';

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
        {
          metadata,
          personId: '',
          fullName: body.fullName,
          aliases: body.aliases ?? [],
          birthDate: body.birthDate ?? '',
          citizenships: body.citizenships ?? [],
          foreignNational: body.foreignNational ?? false,
          occupation: body.occupation ?? '',
        },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    reply.header('location', `/v1/people/${result.id}`);
    return commandAnswer(result, reply);
  }

  @Post(':personId/release')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a release from prison' })
  @personId
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async recordRelease(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordReleaseBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.intake.recordRelease(
        {
          metadata,
          personId: id,
          releasedAt: body.releasedAt,
          mechanism: body.mechanism,
          batchId: body.batchId ?? '',
          daysOfSentenceRemaining: body.daysOfSentenceRemaining ?? 0,
        },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
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
  async recordDeportation(
    @Param('personId', uuidParam('personId')) id: string,
    @Body() body: RecordDeportationBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.intake.recordDeportation(
        {
          metadata,
          personId: id,
          deportedAt: body.deportedAt,
          fromCountry: body.fromCountry,
          toCountry: body.toCountry,
          borderCrossing: body.borderCrossing ?? '',
          consented: body.consented,
        },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }
}
