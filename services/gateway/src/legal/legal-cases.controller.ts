import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type LegalClient } from '../grpc/grpc-clients.js';
import { uuidParam } from '../http/validation.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { LEGAL_CLIENT } from '../tokens.js';
import { LegalCaseDetailView, legalCaseDetailView, LegalCasesPage } from './legal-case.view.js';
import { defaultPageSize, ListCasesQuery } from './list-cases.query.js';

@ApiTags('legal')
@ApiBearerAuth(bearerScheme)
@Controller('v1/legal/cases')
export class LegalCasesController {
  constructor(@Inject(LEGAL_CLIENT) private readonly legal: LegalClient) {}

  @Get()
  @ApiOperation({ summary: 'Legal cases, by person or provision, a page at a time' })
  @ApiOkResponse({ type: LegalCasesPage })
  @ApiGuardedProblems(400)
  async list(@Query() query: ListCasesQuery, @Req() request: FastifyRequest): Promise<LegalCasesPage> {
    const page = await unary(
      this.legal.listCases(
        {
          personId: query.personId ?? '',
          provision: query.provision ?? '',
          limit: query.limit ?? defaultPageSize,
          cursor: query.cursor ?? '',
        },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(legalCaseDetailView), nextCursor: page.nextCursor || null };
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'One case: its flags and what advisors decided, evidence, submissions' })
  @ApiParam({ name: 'caseId', format: 'uuid' })
  @ApiOkResponse({ type: LegalCaseDetailView })
  @ApiGuardedProblems(400, 404)
  async get(@Param('caseId', uuidParam('caseId')) caseId: string, @Req() request: FastifyRequest): Promise<LegalCaseDetailView> {
    return legalCaseDetailView(await unary(this.legal.getCase({ caseId }, ...callOptions(commandDeadlineMs, request))));
  }
}
