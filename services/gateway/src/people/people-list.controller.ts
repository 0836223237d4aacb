import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IntakeClient } from '../grpc/grpc-clients.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { defaultPageSize } from '../http/page.query.js';
import { ListPeopleQuery } from './list-people.query.js';
import { PeoplePage, personSummaryView } from './people-list.view.js';

@ApiTags('people')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people')
export class PeopleListController {
  constructor(@Inject(INTAKE_CLIENT) private readonly intake: IntakeClient) {}

  @Get()
  @ApiOperation({ summary: 'People, by derived status or release batch, a page at a time (ordered by person id)' })
  @ApiOkResponse({ type: PeoplePage })
  @ApiGuardedProblems(400)
  async list(@Query() query: ListPeopleQuery, @Req() request: FastifyRequest): Promise<PeoplePage> {
    const page = await unary(
      this.intake.listPeople(
        { status: query.status ?? '', batchId: query.batchId ?? '', limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(personSummaryView), nextCursor: page.nextCursor || null };
  }
}
