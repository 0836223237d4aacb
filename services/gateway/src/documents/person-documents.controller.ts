import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { passportReplacingTypes } from '@homeward/vocabulary';
import { callOptions, commandDeadlineMs, unary, type IdentityDocumentsClient } from '../grpc/grpc-clients.js';
import { uuidParam } from '../http/validation.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { IDENTITY_DOCUMENTS_CLIENT } from '../tokens.js';
import { defaultPageSize, ListUndocumentedQuery, PersonDocumentsQuery } from './documents.query.js';
import { personDocumentsView, PersonDocumentsView, UndocumentedPage } from './person-documents.view.js';

@ApiTags('documents')
@ApiBearerAuth(bearerScheme)
@Controller('v1')
export class PersonDocumentsController {
  constructor(@Inject(IDENTITY_DOCUMENTS_CLIENT) private readonly documents: IdentityDocumentsClient) {}

  @Get('people/:personId/documents')
  @ApiOperation({
    summary: "A person's papers: passport, certificates, travel-document applications and the derived status",
    description: '404 when nothing is recorded',
  })
  @ApiParam({ name: 'personId', format: 'uuid' })
  @ApiOkResponse({ type: PersonDocumentsView })
  @ApiGuardedProblems(400, 404, 409)
  async get(
    @Param('personId', uuidParam('personId')) personId: string,
    @Query() query: PersonDocumentsQuery,
    @Req() request: FastifyRequest,
  ): Promise<PersonDocumentsView> {
    const documents = await unary(
      this.documents.getDocuments({ personId, minVersion: query.minVersion }, ...callOptions(commandDeadlineMs, request)),
    );
    return personDocumentsView(documents);
  }

  @Get('documents/undocumented')
  @ApiOperation({
    summary: 'People without valid papers, in id order, a page at a time: ids and statuses only',
    description:
      'Everyone whose status is not documented. A humanitarian visa or a residence permit does not take a person off this list: ' +
      `only a passport still held, an issued ${passportReplacingTypes.join(' or ')}, ` +
      'or a certificate valid as an identity document does. ' +
      "Legal's statelessness flag follows the same rule.",
  })
  @ApiOkResponse({ type: UndocumentedPage })
  @ApiGuardedProblems(400)
  async listUndocumented(@Query() query: ListUndocumentedQuery, @Req() request: FastifyRequest): Promise<UndocumentedPage> {
    const page = await unary(
      this.documents.listUndocumented(
        { status: query.status ?? '', limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return {
      items: (page.items ?? []).map((item) => ({ personId: item.personId, status: item.status })),
      nextCursor: page.nextCursor || null,
    };
  }
}
