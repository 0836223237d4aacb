import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Logger } from '@homeward/observability';
import type { FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type IntakeClient, type LegalClient } from '../grpc/grpc-clients.js';
import { uuidParam } from '../http/validation.js';
import { legalCaseView } from '../legal/legal-case.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { grpcStatusName, isGrpcError } from '../problems/grpc-problem.js';
import { INTAKE_CLIENT, LEGAL_CLIENT, LOGGER } from '../tokens.js';
import { PersonFileQuery } from './person-file.query.js';
import { personFileView, PersonFileView, type LegalSectionView } from './person-file.view.js';

/** A person's cases; more than this is not a file anyone reads in one go. */
const casesPerFile = 100;

/**
 * A person's whole file, composed from the services that own its parts. Intake is required;
 * a section from another service that fails is left out and named in `partial`.
 */
@ApiTags('people')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people')
export class PersonFileController {
  constructor(
    @Inject(INTAKE_CLIENT) private readonly intake: IntakeClient,
    @Inject(LEGAL_CLIENT) private readonly legal: LegalClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':personId')
  @ApiOperation({ summary: "A person's whole file: the person, status, timeline and legal cases" })
  @ApiParam({ name: 'personId', format: 'uuid' })
  @ApiOkResponse({ type: PersonFileView })
  @ApiGuardedProblems(400, 404, 409)
  async get(
    @Param('personId', uuidParam('personId')) personId: string,
    @Query() query: PersonFileQuery,
    @Req() request: FastifyRequest,
  ): Promise<PersonFileView> {
    const { correlationId } = request;
    const [file, legal] = await Promise.all([
      unary(this.intake.getPerson({ personId, minVersion: query.minVersion }, ...callOptions(commandDeadlineMs, correlationId))),
      this.legalSection(personId, correlationId),
    ]);
    return personFileView(file, legal);
  }

  private legalSection(personId: string, correlationId: string): Promise<LegalSectionView | null> {
    return unary(this.legal.listCases({ personId, provision: '', limit: casesPerFile, cursor: '' }, ...callOptions(commandDeadlineMs, correlationId))).then(
      (page) => ({ cases: (page.items ?? []).map(legalCaseView) }),
      (error: unknown) => {
        const grpcStatus = isGrpcError(error) ? grpcStatusName(error.code) : 'not-grpc';
        this.logger.warn({ correlationId, section: 'legal', grpcStatus }, 'person file served without a section');
        return null;
      },
    );
  }
}
