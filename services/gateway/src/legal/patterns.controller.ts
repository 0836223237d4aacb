import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type LegalClient } from '../grpc/grpc-clients.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { LEGAL_CLIENT } from '../tokens.js';
import { defaultPageSize } from './list-cases.query.js';
import { ListPatternsQuery } from './list-patterns.query.js';
import { patternRulesText } from './legal.vocabulary.js';
import { patternIndicatorView, PatternIndicatorsPage } from './pattern.view.js';

@ApiTags('legal')
@ApiBearerAuth(bearerScheme)
@Controller('v1/legal/patterns')
export class LegalPatternsController {
  constructor(@Inject(LEGAL_CLIENT) private readonly legal: LegalClient) {}

  @Get()
  @ApiOperation({
    summary: 'Pattern indicators: one practice across many people released in one batch or one period, for a Rome Statute 7(1)(d) review',
    description:
      `Raised once per batch or period and practice when enough people are affected (${patternRulesText}); ` +
      'peopleAffectedNow keeps counting. Belarus is not a party to the Rome Statute; the Court may have jurisdiction over a deportation ' +
      'completed on the territory of a State Party such as Lithuania.',
  })
  @ApiOkResponse({ type: PatternIndicatorsPage })
  @ApiGuardedProblems(400)
  async list(@Query() query: ListPatternsQuery, @Req() request: FastifyRequest): Promise<PatternIndicatorsPage> {
    const page = await unary(
      this.legal.listPatterns(
        { batchId: query.batchId ?? '', practice: query.practice ?? '', limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(patternIndicatorView), nextCursor: page.nextCursor || null };
  }
}
