import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IntakeClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { idempotencyKeyHeader, repeatedAnswer } from '../http/command-route.js';
import { BatchCommandResultView, commandAnswer } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { AnnounceReleaseBatchBody } from './announce-release-batch.dto.js';
import { BatchIdParam } from './batch-id.param.js';
import { releaseBatchView, ReleaseBatchView } from './release-batch.view.js';

@ApiTags('release-batches')
@ApiBearerAuth(bearerScheme)
@Controller('v1/release-batches')
export class ReleaseBatchesController {
  constructor(@Inject(INTAKE_CLIENT) private readonly intake: IntakeClient) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Announce a release batch', description: 'Once per batch id; the Location header points at the batch' })
  @idempotencyKeyHeader
  @ApiCreatedResponse({ type: BatchCommandResultView, description: 'Recorded' })
  @repeatedAnswer(BatchCommandResultView)
  @ApiGuardedProblems(400, 409, 413, 422)
  async announce(
    @Body() body: AnnounceReleaseBatchBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchCommandResultView> {
    const result = await unary(
      this.intake.announceReleaseBatch(
        {
          metadata,
          batchId: body.batchId,
          date: body.date,
          announcedCount: body.announcedCount,
          brokeredBy: body.brokeredBy ?? '',
          conditions: body.conditions ?? '',
        },
        ...callOptions(commandDeadlineMs, reply.request),
      ),
    );
    reply.header('location', `/v1/release-batches/${encodeURIComponent(body.batchId)}`);
    return commandAnswer(result, reply);
  }

  @Get(':batchId')
  @ApiOperation({ summary: 'A release batch: its announcement and the counts of its people' })
  @ApiParam({ name: 'batchId', example: 'batch-2025-09-11' })
  @ApiOkResponse({ type: ReleaseBatchView })
  @ApiGuardedProblems(400, 404)
  async get(@Param('batchId', BatchIdParam) batchId: string, @Req() request: FastifyRequest): Promise<ReleaseBatchView> {
    return releaseBatchView(await unary(this.intake.getReleaseBatch({ batchId }, ...callOptions(commandDeadlineMs, request))));
  }
}
