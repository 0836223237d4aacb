import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IntakeClient } from '../grpc/grpc-clients.js';
import { CommandRoutes, commandsOf } from '../http/command-route.js';
import { BatchCommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { AnnounceReleaseBatchBody } from './announce-release-batch.dto.js';
import { BatchIdParam } from './batch-id.param.js';
import { releaseBatchView, ReleaseBatchView } from './release-batch.view.js';

const command = commandsOf<IntakeClient>();

@ApiTags('release-batches')
@ApiBearerAuth(bearerScheme)
@Controller('v1/release-batches')
@CommandRoutes({
  announce: command({
    path: '',
    summary: 'Announce a release batch',
    description: 'Once per batch id; the Location header points at the batch',
    uuidParams: [],
    view: BatchCommandResultView,
    created: 'Recorded',
    problems: [400, 409, 413, 422],
    body: AnnounceReleaseBatchBody,
    rpc: 'announceReleaseBatch',
    request: (body) => ({
      batchId: body.batchId,
      date: body.date,
      announcedCount: body.announcedCount,
      brokeredBy: body.brokeredBy ?? '',
      conditions: body.conditions ?? '',
    }),
    location: (_answer, body) => `/v1/release-batches/${encodeURIComponent(body.batchId)}`,
  }),
})
export class ReleaseBatchesController {
  constructor(@Inject(INTAKE_CLIENT) readonly client: IntakeClient) {}

  @Get(':batchId')
  @ApiOperation({ summary: 'A release batch: its announcement and the counts of its people' })
  @ApiParam({ name: 'batchId', example: 'batch-2025-09-11' })
  @ApiOkResponse({ type: ReleaseBatchView })
  @ApiGuardedProblems(400, 404)
  async get(@Param('batchId', BatchIdParam) batchId: string, @Req() request: FastifyRequest): Promise<ReleaseBatchView> {
    return releaseBatchView(await unary(this.client.getReleaseBatch({ batchId }, ...callOptions(commandDeadlineMs, request))));
  }
}
